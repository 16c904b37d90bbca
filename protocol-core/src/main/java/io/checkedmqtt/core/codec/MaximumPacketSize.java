package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.UnsubAck;

/**
 * Fitting an outgoing packet to the peer's Maximum Packet Size (5.0 section 3.1.2.11.4): a
 * packet larger than it is never sent [MQTT-3.1.2-24]. The spec lets the sender drop the
 * Reason String and then the User Properties of CONNACK [MQTT-3.2.2-19/20], PUBACK
 * [MQTT-3.4.2-2/3], PUBREC [MQTT-3.5.2-2/3], PUBREL [MQTT-3.6.2-2/3], PUBCOMP [MQTT-3.7.2-2/3],
 * SUBACK [MQTT-3.9.2-1/2], UNSUBACK [MQTT-3.11.2-1/2], DISCONNECT [MQTT-3.14.2-3/4] and AUTH
 * [MQTT-3.15.2-2/3]; no other part of any packet may go. A PUBLISH that does not fit is
 * dropped by the session as if delivered [MQTT-3.1.2-25].
 */
public final class MaximumPacketSize {

    /** No limit: the peer sent no Maximum Packet Size. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private MaximumPacketSize() {
    }

    /** The outcome of {@link #fit}. */
    public sealed interface Fit permits Fits, TooLarge {
    }

    /** This packet (maybe with the Reason String or User Properties removed) is {@code size} bytes and fits. */
    public record Fits(Packet packet, int size) implements Fit {
    }

    /** Even without what may be dropped, the packet is {@code size} bytes: it must not be sent. */
    public record TooLarge(Packet packet, int size) implements Fit {
    }

    /**
     * Returns the packet as it may be sent to a peer that accepts at most {@code peerMaximum} bytes,
     * removing the Reason String first and then the User Properties where the spec allows it.
     */
    public static Fit fit(Packet packet, ProtocolVersion version, long peerMaximum) {
        int size = MqttEncoder.encodedSize(packet, version);
        if (size <= peerMaximum) {
            return new Fits(packet, size);
        }
        Properties properties = properties(packet);
        if (!version.isV5() || properties == null) {
            return new TooLarge(packet, size);
        }
        Packet withoutReason = withProperties(packet, properties.without(PropertyId.REASON_STRING));
        size = MqttEncoder.encodedSize(withoutReason, version);
        if (size <= peerMaximum) {
            return new Fits(withoutReason, size);
        }
        Packet bare = withProperties(packet,
                properties.without(PropertyId.REASON_STRING).without(PropertyId.USER_PROPERTY));
        size = MqttEncoder.encodedSize(bare, version);
        return size <= peerMaximum ? new Fits(bare, size) : new TooLarge(bare, size);
    }

    /** The properties of a packet whose Reason String and User Properties may be dropped, else null. */
    private static Properties properties(Packet packet) {
        if (packet instanceof Connack p) {
            return p.properties();
        } else if (packet instanceof PubAck p) {
            return p.properties();
        } else if (packet instanceof PubRec p) {
            return p.properties();
        } else if (packet instanceof PubRel p) {
            return p.properties();
        } else if (packet instanceof PubComp p) {
            return p.properties();
        } else if (packet instanceof SubAck p) {
            return p.properties();
        } else if (packet instanceof UnsubAck p) {
            return p.properties();
        } else if (packet instanceof Disconnect p) {
            return p.properties();
        } else if (packet instanceof Auth p) {
            return p.properties();
        }
        return null;
    }

    private static Packet withProperties(Packet packet, Properties properties) {
        if (packet instanceof Connack p) {
            return new Connack(p.sessionPresent(), p.reasonCode(), properties);
        } else if (packet instanceof PubAck p) {
            return new PubAck(p.packetId(), p.reasonCode(), properties);
        } else if (packet instanceof PubRec p) {
            return new PubRec(p.packetId(), p.reasonCode(), properties);
        } else if (packet instanceof PubRel p) {
            return new PubRel(p.packetId(), p.reasonCode(), properties);
        } else if (packet instanceof PubComp p) {
            return new PubComp(p.packetId(), p.reasonCode(), properties);
        } else if (packet instanceof SubAck p) {
            return new SubAck(p.packetId(), p.reasonCodes(), properties);
        } else if (packet instanceof UnsubAck p) {
            return new UnsubAck(p.packetId(), p.reasonCodes(), properties);
        } else if (packet instanceof Disconnect p) {
            return new Disconnect(p.reasonCode(), properties);
        } else if (packet instanceof Auth p) {
            return new Auth(p.reasonCode(), properties);
        }
        throw new IllegalArgumentException("no droppable properties in " + packet.type());
    }
}
