package io.checkedmqtt.testkit;

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
public final class Packets {

    public static final ProtocolVersion V3 = ProtocolVersion.MQTT_3_1_1;
    public static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private Packets() {
    }

    public static Connect connect(ProtocolVersion v, String clientId, boolean clean) {
        return new Connect(v, clientId, clean, 0, null, null, null, Properties.EMPTY);
    }

    /** A CONNECT whose session outlives the connection: 3.1.1 CleanSession 0; 5.0 Clean Start 0, Session Expiry 600 s. */
    public static Connect kept(ProtocolVersion v, String clientId) {
        return v.isV5() ? connect5(clientId, false, 600) : connect(v, clientId, false);
    }

    public static Connect connect5(String clientId, boolean cleanStart, long sessionExpiry) {
        return new Connect(V5, clientId, cleanStart, 0, null, null, null, expiry(sessionExpiry));
    }

    public static Properties expiry(long sessionExpiry) {
        return sessionExpiry == 0 ? Properties.EMPTY
                : Properties.of(new Property.IntegerProperty(PropertyId.SESSION_EXPIRY_INTERVAL, sessionExpiry));
    }

    public static Connect withKeepAlive(Connect c, int seconds) {
        return new Connect(c.version(), c.clientId(), c.cleanStart(), seconds, c.userName(), c.password(), c.will(),
                c.properties());
    }

    public static Connect withWill(Connect c, Will will) {
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), c.userName(),
                c.password(), will, c.properties());
    }

    public static Connect withProperty(Connect c, PropertyId id, long value) {
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), c.userName(),
                c.password(), c.will(), c.properties().withInteger(id, value));
    }

    public static Will will(String topic, String payload, QoS qos, boolean retain, long delaySeconds) {
        Properties p = delaySeconds == 0 ? Properties.EMPTY
                : Properties.of(new Property.IntegerProperty(PropertyId.WILL_DELAY_INTERVAL, delaySeconds));
        return new Will(topic, bytes(payload), qos, retain, p);
    }

    public static Publish publish(String topic, String payload, QoS qos, int packetId) {
        return new Publish(topic, bytes(payload), qos, false, false, packetId, Properties.EMPTY);
    }

    public static Subscribe subscribe(int packetId, String filter, QoS qos) {
        return new Subscribe(packetId, List.of(new Subscription(filter, SubscriptionOptions.of(qos))),
                Properties.EMPTY);
    }

    public static Subscribe subscribe(int packetId, Object... filterQosPairs) {
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < filterQosPairs.length; i += 2) {
            subs.add(new Subscription((String) filterQosPairs[i], SubscriptionOptions.of((QoS) filterQosPairs[i + 1])));
        }
        return new Subscribe(packetId, subs, Properties.EMPTY);
    }

    public static Unsubscribe unsubscribe(int packetId, String... filters) {
        return new Unsubscribe(packetId, List.of(filters), Properties.EMPTY);
    }

    public static Disconnect disconnect(ReasonCode code) {
        return new Disconnect(code);
    }

    /** A PUBLISH on "t" with a 5.0 Message Expiry Interval. */
    public static Publish expiring(String text, QoS qos, int packetId, long seconds) {
        return new Publish("t", bytes(text), qos, false, false, packetId, Properties.of(
                new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds)));
    }

    /** The PUBLISH packets among {@code packets}, in order. */
    public static List<Publish> publishes(List<Packet> packets) {
        List<Publish> out = new ArrayList<>();
        for (Packet p : packets) {
            if (p instanceof Publish pub) {
                out.add(pub);
            }
        }
        return out;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }
}
