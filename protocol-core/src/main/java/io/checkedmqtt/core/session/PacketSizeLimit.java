package io.checkedmqtt.core.session;

import io.checkedmqtt.core.codec.MqttEncoder;
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
 * The client's 5.0 Maximum Packet Size applied to what the server sends it: the server never
 * sends a larger packet [v5 MQTT-3.1.2-24]. The one place for every packet but PUBLISH, whose
 * size {@link Outbound} checks as it decides what is delivered.
 *
 * <p>The spec's answer, in order:
 * <ol>
 *   <li>a packet that fits goes as it is;</li>
 *   <li>otherwise its Reason String and User Properties are left out, which every packet that may
 *       carry them allows when they would make it too large (CONNACK [v5 MQTT-3.2.2-19, -20],
 *       PUBACK, PUBREC, PUBREL, PUBCOMP [v5 MQTT-3.4.2-2, -3, MQTT-3.5.2-2, -3, MQTT-3.6.2-2, -3,
 *       MQTT-3.7.2-2, -3], SUBACK [v5 MQTT-3.9.2-1, -2], UNSUBACK [v5 MQTT-3.11.2-1, -2],
 *       DISCONNECT [v5 MQTT-3.14.2-3, -4], AUTH [v5 MQTT-3.15.2-2, -3]);</li>
 *   <li>a packet still too large, such as the SUBACK of a SUBSCRIBE with thousands of filters to
 *       a client that takes 1 KiB, is discarded without being sent, and the server carries on as
 *       if it had sent it [v5 MQTT-3.1.2-25]: the rule reads "where a Packet is too large to
 *       send", any packet. The client asked for a limit its own requests cannot be answered
 *       within; it sees no answer, as if it had been lost, and nothing else changes.</li>
 * </ol>
 */
public final class PacketSizeLimit {

    private PacketSizeLimit() {
    }

    /**
     * The packet as it may be sent to a client that accepts packets of at most {@code maximum}
     * bytes ({@link Link#NO_MAXIMUM_PACKET_SIZE}: any), or null when it must not be sent at all.
     */
    public static Packet fitted(Packet packet, ProtocolVersion version, long maximum) {
        if (maximum == Link.NO_MAXIMUM_PACKET_SIZE || MqttEncoder.encodedSize(packet, version) <= maximum) {
            return packet;
        }
        Packet trimmed = withoutDiagnostics(packet);
        if (trimmed != packet && MqttEncoder.encodedSize(trimmed, version) <= maximum) {
            return trimmed;
        }
        return null;
    }

    /** The packet without Reason String and User Properties; the packet itself when it has none or may not drop them. */
    static Packet withoutDiagnostics(Packet packet) {
        Properties before = propertiesOf(packet);
        if (before == null) {
            return packet;   // PUBLISH keeps what its publisher set; the others carry no properties
        }
        Properties p = before.without(PropertyId.REASON_STRING).without(PropertyId.USER_PROPERTY);
        if (p == before) {
            return packet;
        }
        if (packet instanceof Connack c) {
            return new Connack(c.sessionPresent(), c.reasonCode(), p);
        } else if (packet instanceof PubAck a) {
            return new PubAck(a.packetId(), a.reasonCode(), p);
        } else if (packet instanceof PubRec r) {
            return new PubRec(r.packetId(), r.reasonCode(), p);
        } else if (packet instanceof PubRel r) {
            return new PubRel(r.packetId(), r.reasonCode(), p, r.duplicate());
        } else if (packet instanceof PubComp c) {
            return new PubComp(c.packetId(), c.reasonCode(), p);
        } else if (packet instanceof SubAck s) {
            return new SubAck(s.packetId(), s.reasonCodes(), p);
        } else if (packet instanceof UnsubAck u) {
            return new UnsubAck(u.packetId(), u.reasonCodes(), p);
        } else if (packet instanceof Disconnect d) {
            return new Disconnect(d.reasonCode(), p);
        }
        return new Auth(((Auth) packet).reasonCode(), p);
    }

    /** The properties of a packet the server sends that may drop its diagnostics; null for the others. */
    private static Properties propertiesOf(Packet packet) {
        if (packet instanceof Connack c) {
            return c.properties();
        } else if (packet instanceof PubAck a) {
            return a.properties();
        } else if (packet instanceof PubRec r) {
            return r.properties();
        } else if (packet instanceof PubRel r) {
            return r.properties();
        } else if (packet instanceof PubComp c) {
            return c.properties();
        } else if (packet instanceof SubAck s) {
            return s.properties();
        } else if (packet instanceof UnsubAck u) {
            return u.properties();
        } else if (packet instanceof Disconnect d) {
            return d.properties();
        } else if (packet instanceof Auth a) {
            return a.properties();
        }
        return null;
    }
}
