package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect5;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the server does around the packets that end a 5.0 connection (DISCONNECT, and CONNACK
 * with a failure code), checked over every way this broker has of ending one, and what it leaves
 * out of the packets it sends.
 */
class DisconnectRulesTest {

    /** Defaults, but a Receive Maximum of 2 so that exceeding it takes three PUBLISHes. */
    private static final BrokerConfig RECEIVE_MAXIMUM_2 = receiveMaximum2();

    private static BrokerConfig receiveMaximum2() {
        return BrokerConfig.builder().receiveMaximum(2).build();
    }

    /** Each scenario ends (at least) one connection from the server side. */
    private static final List<Consumer<BrokerHarness>> ENDINGS = List.of(
            h -> { // take-over: 0x8E to the old connection
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100));
                h.in(h.open(), connect5("a", false, 100));
            },
            h -> { // second CONNECT: 0x82
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100), connect5("a", false, 100));
            },
            h -> { // keep-alive expired: 0x8D
                ConnectionId a = h.open();
                h.in(a, Packets.withKeepAlive(connect5("a", false, 100), 2));
                h.advance(3_000);
            },
            h -> { // malformed input after CONNECT: 0x81
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100));
                h.malformed(a, ReasonCode.MALFORMED_PACKET, ProtocolVersion.MQTT_5);
            },
            h -> { // more QoS 1 PUBLISH unacknowledged than our Receive Maximum allows: 0x93
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100));
                for (int i = 1; i <= h.core().config().receiveMaximum() + 1 && !h.isClosed(a); i++) {
                    h.in(a, publish("t", "x", QoS.EXACTLY_ONCE, i));
                }
            },
            h -> { // Topic Alias above our maximum: 0x94
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100));
                h.in(a, new Publish("t", new byte[0], QoS.AT_MOST_ONCE, false, false, 0, Properties.of(
                        new Property.IntegerProperty(PropertyId.TOPIC_ALIAS, 65_535))));
            },
            h -> { // QoS 0 payload that is not the UTF-8 its Payload Format Indicator says: 0x99
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100));
                h.in(a, new Publish("t", new byte[] {(byte) 0xC3}, QoS.AT_MOST_ONCE, false, false, 0, Properties.of(
                        new Property.IntegerProperty(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1))));
            },
            h -> { // No Local on a shared subscription: 0x82
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100));
                h.in(a, new Subscribe(1, List.of(new Subscription("$share/g/t",
                        new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, false,
                                SubscriptionOptions.RetainHandling.SEND_ON_SUBSCRIBE))), Properties.EMPTY));
            },
            h -> { // AUTH without an authentication method: 0x82
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100), new Auth(ReasonCode.RE_AUTHENTICATE, Properties.EMPTY));
            },
            h -> { // shutdown: 0x8B
                ConnectionId a = h.open();
                h.in(a, connect5("a", false, 100));
                h.shutdown();
            },
            h -> { // CONNACK 0x8C: unsupported authentication method
                h.in(h.open(), new Connect(V5, "a", true, 0, null, null, null,
                        Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")));
            },
            h -> { // CONNACK 0x99: a Will payload that is not the UTF-8 its indicator says
                h.in(h.open(), new Connect(V5, "a", true, 0, null, null, new Will("w", new byte[] {(byte) 0xC3},
                        QoS.AT_MOST_ONCE, false, Properties.EMPTY.withInteger(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)),
                        Properties.EMPTY));
            },
            h -> { // CONNACK 0x81: a malformed 5.0 CONNECT
                h.malformed(h.open(), ReasonCode.MALFORMED_PACKET, ProtocolVersion.MQTT_5);
            },
            h -> { // CONNACK 0x84: unsupported protocol version
                h.malformed(h.open(), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            });

    /** Runs every ending and returns, per scenario, the effects it produced. */
    private static List<List<Effect>> runEndings() {
        List<List<Effect>> runs = new ArrayList<>();
        for (Consumer<BrokerHarness> ending : ENDINGS) {
            BrokerHarness h = new BrokerHarness(RECEIVE_MAXIMUM_2);
            ending.accept(h);
            runs.add(List.copyOf(h.allEffects()));
        }
        return runs;
    }

    /** A packet after which the connection must close [v5 MQTT-4.13.2-1, MQTT-3.14.4-2]. */
    private static boolean ends(Packet p) {
        return p instanceof Disconnect || p instanceof Connack c && c.reasonCode().isError();
    }

    @Test
    @DisplayName("v5 [MQTT-3.14.4-1] [MQTT-3.14.4-2] [MQTT-4.13.2-1] after a DISCONNECT or a failing CONNACK: nothing more is sent, the connection closes")
    void closeAfterEndingPacket() {
        int seen = 0;
        for (List<Effect> effects : runEndings()) {
            int endings = 0;
            for (int i = 0; i < effects.size(); i++) {
                if (!(effects.get(i) instanceof Effect.Send send) || !ends(send.packet())) {
                    continue;
                }
                endings++;
                ConnectionId conn = send.connection();
                boolean closed = false;
                for (Effect later : effects.subList(i + 1, effects.size())) {
                    if (later instanceof Effect.Send s && s.connection().equals(conn)) {
                        fail("sent " + s.packet() + " after " + send.packet());
                    }
                    if (later instanceof Effect.Close c && c.connection().equals(conn)) {
                        closed = true;
                    }
                }
                assertTrue(closed, "no close after " + send.packet());
            }
            assertTrue(endings > 0, "every scenario ends a connection with a packet: " + effects);
            seen += endings;
        }
        assertEquals(ENDINGS.size(), seen);
    }

    @Test
    @DisplayName("v5 [MQTT-3.14.2-2] a DISCONNECT from the server never carries a Session Expiry Interval")
    void noSessionExpiryInServerDisconnect() {
        int disconnects = 0;
        for (List<Effect> effects : runEndings()) {
            for (Effect e : effects) {
                if (e instanceof Effect.Send s && s.packet() instanceof Disconnect d) {
                    disconnects++;
                    assertFalse(d.properties().contains(PropertyId.SESSION_EXPIRY_INTERVAL), d.toString());
                }
            }
        }
        assertEquals(ENDINGS.size() - 4, disconnects, "every ending but the four CONNACK refusals sends DISCONNECT");
    }

    /**
     * One 5.0 client, connected with {@code connect}, that makes the server send every kind of
     * answer: CONNACK, SUBACK, UNSUBACK 0x00 and 0x11, PUBACK and PUBREC 0x10,
     * PUBCOMP 0x00 and 0x92, a delivered PUBLISH, PUBREL 0x00 and 0x92, PINGRESP and DISCONNECT
     * 0x82. Returns every packet the server sent it.
     */
    private static List<Packet> everyKindOfAnswer(Connect connect) {
        BrokerHarness h = new BrokerHarness();
        ConnectionId other = h.open();
        h.in(other, connect5("other", true, 0));
        ConnectionId c = h.open();
        h.in(c, connect);
        h.in(c, subscribe(1, "t", QoS.EXACTLY_ONCE, "u", QoS.AT_MOST_ONCE), // SUBACK (a 5.0 filter is granted or closes)
                unsubscribe(2, "t", "never"),                       // UNSUBACK 0x00 and 0x11
                publish("nobody", "x", QoS.AT_LEAST_ONCE, 3),        // PUBACK 0x10
                publish("nobody", "x", QoS.EXACTLY_ONCE, 4),         // PUBREC 0x10
                new PubRel(4), new PubRel(99),                       // PUBCOMP 0x00 and 0x92
                subscribe(5, "t", QoS.EXACTLY_ONCE), PingReq.INSTANCE);
        h.in(other, publish("t", "m", QoS.EXACTLY_ONCE, 1));
        List<Packet> sent = h.out(c);
        Publish delivered = sent.stream().filter(Publish.class::isInstance).map(Publish.class::cast).findFirst()
                .orElseThrow();
        h.in(c, new PubRec(delivered.packetId()), new PubRec(999), new PubComp(delivered.packetId())); // PUBREL 0x00 and 0x92
        h.in(c, connect5("a", false, 100)); // and a DISCONNECT 0x82
        List<Packet> all = new ArrayList<>(sent);
        all.addAll(h.out(c));
        java.util.Set<Class<?>> kinds = new java.util.HashSet<>();
        all.forEach(p -> kinds.add(p.getClass()));
        for (Class<?> k : List.of(Connack.class, SubAck.class, UnsubAck.class, PubAck.class, PubRec.class,
                PubComp.class, Publish.class, PubRel.class, Disconnect.class)) {
            assertTrue(kinds.contains(k), "the scenario makes the server send " + k.getSimpleName());
        }
        return all;
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-29] Request Problem Information 0: no Reason String or User Property but on PUBLISH, CONNACK, DISCONNECT")
    void requestProblemInformationZero() {
        for (Packet p : everyKindOfAnswer(Packets.withProperty(connect5("a", false, 100),
                PropertyId.REQUEST_PROBLEM_INFORMATION, 0))) {
            Properties props = propertiesOf(p);
            if (p instanceof Publish || p instanceof Connack || p instanceof Disconnect || props == null) {
                continue;
            }
            assertFalse(props.contains(PropertyId.REASON_STRING), p.toString());
            assertFalse(props.contains(PropertyId.USER_PROPERTY), p.toString());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-19/20] [MQTT-3.4.2-2/3] [MQTT-3.5.2-2/3] [MQTT-3.6.2-2/3] [MQTT-3.7.2-2/3] [MQTT-3.9.2-1/2] [MQTT-3.11.2-1/2] [MQTT-3.14.2-3/4] [MQTT-3.15.2-2/3] the server puts no Reason String or User Property on anything but PUBLISH: it never has one to omit for the client's Maximum Packet Size")
    void nothingToOmitForTheMaximumPacketSize() {
        List<Packet> all = new ArrayList<>(everyKindOfAnswer(connect5("a", false, 100)));
        for (List<Effect> run : runEndings()) {
            for (Effect e : run) {
                if (e instanceof Effect.Send send) {
                    all.add(send.packet());
                }
            }
        }
        for (Packet p : all) {
            Properties props = propertiesOf(p);
            if (props != null) {
                assertFalse(props.contains(PropertyId.REASON_STRING), p.toString());
                assertFalse(props.contains(PropertyId.USER_PROPERTY), p.toString());
            }
        }
    }

    /** The properties of any packet the server sends but PUBLISH, whose user properties are the publisher's. */
    private static Properties propertiesOf(Packet p) {
        if (p instanceof Connack a) {
            return a.properties();
        } else if (p instanceof Disconnect a) {
            return a.properties();
        } else if (p instanceof SubAck a) {
            return a.properties();
        } else if (p instanceof UnsubAck a) {
            return a.properties();
        } else if (p instanceof PubAck a) {
            return a.properties();
        } else if (p instanceof PubRec a) {
            return a.properties();
        } else if (p instanceof PubRel a) {
            return a.properties();
        } else if (p instanceof PubComp a) {
            return a.properties();
        } else if (p instanceof Auth a) {
            return a.properties();
        }
        return null;
    }
}
