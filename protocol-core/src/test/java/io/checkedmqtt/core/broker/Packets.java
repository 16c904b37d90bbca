package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.packet.Will;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Short constructors for the packets tests send. */
final class Packets {

    static final ProtocolVersion V3 = ProtocolVersion.MQTT_3_1_1;
    static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private Packets() {
    }

    static Connect connect(ProtocolVersion v, String clientId, boolean clean) {
        return new Connect(v, clientId, clean, 0, null, null, null, Properties.EMPTY);
    }

    static Connect connect5(String clientId, boolean cleanStart, long sessionExpiry) {
        return new Connect(V5, clientId, cleanStart, 0, null, null, null, expiry(sessionExpiry));
    }

    static Properties expiry(long sessionExpiry) {
        return sessionExpiry == 0 ? Properties.EMPTY
                : Properties.of(new Property.IntegerProperty(PropertyId.SESSION_EXPIRY_INTERVAL, sessionExpiry));
    }

    static Connect withKeepAlive(Connect c, int seconds) {
        return new Connect(c.version(), c.clientId(), c.cleanStart(), seconds, c.userName(), c.password(), c.will(),
                c.properties());
    }

    static Connect withWill(Connect c, Will will) {
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), c.userName(),
                c.password(), will, c.properties());
    }

    static Connect withProperty(Connect c, PropertyId id, long value) {
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), c.userName(),
                c.password(), c.will(), c.properties().withInteger(id, value));
    }

    static Will will(String topic, String payload, QoS qos, boolean retain, long delaySeconds) {
        Properties p = delaySeconds == 0 ? Properties.EMPTY
                : Properties.of(new Property.IntegerProperty(PropertyId.WILL_DELAY_INTERVAL, delaySeconds));
        return new Will(topic, bytes(payload), qos, retain, p);
    }

    static Publish publish(String topic, String payload, QoS qos, int packetId) {
        return new Publish(topic, bytes(payload), qos, false, false, packetId, Properties.EMPTY);
    }

    static Subscribe subscribe(int packetId, String filter, QoS qos) {
        return new Subscribe(packetId, List.of(new Subscription(filter, SubscriptionOptions.of(qos))),
                Properties.EMPTY);
    }

    static Subscribe subscribe(int packetId, Object... filterQosPairs) {
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < filterQosPairs.length; i += 2) {
            subs.add(new Subscription((String) filterQosPairs[i], SubscriptionOptions.of((QoS) filterQosPairs[i + 1])));
        }
        return new Subscribe(packetId, subs, Properties.EMPTY);
    }

    static Unsubscribe unsubscribe(int packetId, String... filters) {
        return new Unsubscribe(packetId, List.of(filters), Properties.EMPTY);
    }

    static Disconnect disconnect(ReasonCode code) {
        return new Disconnect(code);
    }

    /** A PUBLISH on "t" with a 5.0 Message Expiry Interval. */
    static Publish expiring(String text, QoS qos, int packetId, long seconds) {
        return new Publish("t", bytes(text), qos, false, false, packetId, Properties.of(
                new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds)));
    }

    /** The PUBLISHes among these packets, in order. */
    static List<Publish> publishes(List<Packet> packets) {
        List<Publish> out = new ArrayList<>();
        for (Packet p : packets) {
            if (p instanceof Publish pub) {
                out.add(pub);
            }
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }
}
