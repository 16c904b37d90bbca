package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.AccessControlList;
import io.checkedmqtt.core.auth.AclRule;
import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.auth.Permission;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ACL and the per-client caps through BrokerCore. Users: "reader" may read {@code data/#},
 * "writer" may write {@code data/#} and {@code wills/#}; nobody else may do anything.
 */
class AccessControlFlowTest {

    static final AccessControlList ACL = AccessControlList.builder()
            .topic("reader", new AclRule(Permission.READ, "data/#"))
            .topic("reader", new AclRule(Permission.DENY, "data/secret"))
            .topic("writer", new AclRule(Permission.WRITE, "data/#"))
            .topic("writer", new AclRule(Permission.WRITE, "wills/#"))
            .build();

    private final BrokerHarness h = new BrokerHarness(BrokerConfig.builder()
            .authorizer(new Authorizer(true, null, ACL, null)).build());

    private ConnectionId client(ProtocolVersion v, String id, String user) {
        ConnectionId c = h.open();
        Connect base = Packets.connect(v, id, true);
        h.in(c, new Connect(v, id, true, 0, user, null, null, base.properties()));
        h.out(c);
        return c;
    }

    private List<Publish> published(ConnectionId c) {
        return h.out(c).stream().filter(p -> p instanceof Publish).map(p -> (Publish) p).toList();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-3.9.3-2] v5 [MQTT-3.9.3-1] a filter the ACL does not let the client read gets SUBACK 0x80 (3.1.1) / 0x87 (5.0); the others are granted")
    void subscribeRefused(ProtocolVersion v) {
        ConnectionId r = client(v, "r", "reader");
        h.in(r, subscribe(1, "data/#", QoS.AT_LEAST_ONCE, "other/#", QoS.AT_LEAST_ONCE, "data/secret", QoS.AT_MOST_ONCE));
        SubAck ack = assertInstanceOf(SubAck.class, h.out(r).get(0));
        ReasonCode refused = v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR; // 3.1.1: 0x80
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1, refused, refused), ack.reasonCodes());
        assertEquals(1, h.state().session("r").subscriptions().size());
        assertTrue(h.allEffects().stream().anyMatch(e -> e instanceof Effect.Notice n && n.message().contains("other/#")));
    }

    @Test
    @DisplayName("v5 a refused PUBLISH gets PUBACK / PUBREC 0x87, is not routed, and its QoS 2 identifier is free again")
    void publishRefusedV5() {
        ConnectionId r = client(ProtocolVersion.MQTT_5, "r", "reader");
        h.in(r, subscribe(1, "data/#", QoS.EXACTLY_ONCE));
        h.out(r);
        ConnectionId w = client(ProtocolVersion.MQTT_5, "w", "reader"); // the reader may not write
        h.in(w, publish("data/x", "1", QoS.AT_LEAST_ONCE, 7));
        assertEquals(ReasonCode.NOT_AUTHORIZED, ((PubAck) h.out(w).get(0)).reasonCode());
        h.in(w, publish("data/x", "2", QoS.EXACTLY_ONCE, 8));
        assertEquals(ReasonCode.NOT_AUTHORIZED, ((PubRec) h.out(w).get(0)).reasonCode());
        assertFalse(h.state().session("w").awaitingPubRel().contains(8));
        h.in(w, publish("data/x", "3", QoS.AT_MOST_ONCE, 0));
        assertEquals(List.of(), h.out(w));
        assertEquals(List.of(), published(r));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.5-2] a refused PUBLISH is acknowledged as usual and dropped (QoS 2 runs to PUBCOMP), as Mosquitto does")
    void publishRefusedV311() {
        ConnectionId r = client(ProtocolVersion.MQTT_3_1_1, "r", "reader");
        h.in(r, subscribe(1, "data/#", QoS.EXACTLY_ONCE));
        h.out(r);
        ConnectionId w = client(ProtocolVersion.MQTT_3_1_1, "w", "stranger");
        h.in(w, publish("data/x", "1", QoS.AT_LEAST_ONCE, 7));
        assertEquals(new PubAck(7), h.out(w).get(0));
        h.in(w, publish("data/x", "2", QoS.EXACTLY_ONCE, 8));
        assertEquals(new PubRec(8), h.out(w).get(0));
        h.in(w, new PubRel(8));
        assertEquals(new PubComp(8), h.out(w).get(0));
        assertEquals(List.of(), published(r));
        assertFalse(h.isClosed(w));
    }

    @Test
    @DisplayName("a delivery the subscriber may not read is not sent, also not as a retained message; what it may read is")
    void readChecks() {
        ConnectionId w = client(ProtocolVersion.MQTT_5, "w", "writer");
        h.in(w, new Publish("data/secret", Packets.bytes("s"), QoS.AT_MOST_ONCE, true, false, 0,
                io.checkedmqtt.core.packet.Properties.EMPTY));
        h.in(w, new Publish("data/open", Packets.bytes("o"), QoS.AT_MOST_ONCE, true, false, 0,
                io.checkedmqtt.core.packet.Properties.EMPTY));
        ConnectionId r = client(ProtocolVersion.MQTT_5, "r", "reader");
        h.in(r, subscribe(1, "data/#", QoS.AT_MOST_ONCE));
        List<Publish> retained = published(r);
        assertEquals(List.of("data/open"), retained.stream().map(Publish::topic).toList());
        h.in(w, publish("data/secret", "live", QoS.AT_MOST_ONCE, 0));
        h.in(w, publish("data/ok", "live", QoS.AT_MOST_ONCE, 0));
        assertEquals(List.of("data/ok"), published(r).stream().map(Publish::topic).toList());
    }

    @Test
    @DisplayName("a shared subscription is judged by its filter, and a message the chosen member may not read is not given to the group")
    void sharedSubscription() {
        ConnectionId r = client(ProtocolVersion.MQTT_5, "r", "reader");
        h.in(r, subscribe(1, "$share/g/data/#", QoS.AT_MOST_ONCE, "$share/g/other", QoS.AT_MOST_ONCE));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.NOT_AUTHORIZED), ((SubAck) h.out(r).get(0)).reasonCodes());
        ConnectionId w = client(ProtocolVersion.MQTT_5, "w", "writer");
        h.in(w, publish("data/secret", "x", QoS.AT_MOST_ONCE, 0));
        h.in(w, publish("data/a", "y", QoS.AT_MOST_ONCE, 0));
        assertEquals(List.of("data/a"), published(r).stream().map(Publish::topic).toList());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-8] v5 [MQTT-3.1.2-8] a will is checked when it is published: only a client that may write there gets it out")
    void wills() {
        ConnectionId r = client(ProtocolVersion.MQTT_5, "r", "reader");
        h.in(r, subscribe(1, "data/#", QoS.AT_MOST_ONCE));
        h.out(r);
        for (String user : List.of("writer", "reader")) {
            ConnectionId c = h.open();
            h.in(c, Packets.withWill(new Connect(ProtocolVersion.MQTT_5, "will-" + user, true, 0, user, null, null,
                    io.checkedmqtt.core.packet.Properties.EMPTY), Packets.will("data/will", user, QoS.AT_MOST_ONCE, false, 0)));
            h.lose(c);
        }
        assertEquals(List.of("writer"), published(r).stream().map(Packets::text).toList());
        assertTrue(h.allEffects().stream().anyMatch(e -> e instanceof Effect.Notice n
                && n.message().startsWith("will of will-reader to data/will")));
    }

    @Test
    @DisplayName("v5 a subscription beyond max_subscriptions_per_client gets 0x97; replacing a held one is not one more")
    void subscriptionCap() {
        BrokerHarness capped = new BrokerHarness(BrokerConfig.builder().limits(new ClientLimits(0, 2, 0)).build());
        ConnectionId c = capped.open();
        capped.in(c, Packets.connect(ProtocolVersion.MQTT_5, "c", true));
        capped.out(c);
        capped.in(c, subscribe(1, "a", QoS.AT_MOST_ONCE, "b", QoS.AT_MOST_ONCE, "c", QoS.AT_MOST_ONCE));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_0, ReasonCode.QUOTA_EXCEEDED),
                ((SubAck) capped.out(c).get(0)).reasonCodes());
        capped.in(c, subscribe(2, "a", QoS.AT_LEAST_ONCE));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), ((SubAck) capped.out(c).get(0)).reasonCodes());
    }

    @Test
    @DisplayName("v5 more PUBLISH per second than max_publish_rate: DISCONNECT 0x96 and a close; at the rate it keeps going")
    void publishRate() {
        BrokerHarness paced = new BrokerHarness(BrokerConfig.builder().limits(new ClientLimits(0, 0, 10)).build());
        ConnectionId c = paced.open();
        paced.in(c, Packets.connect(ProtocolVersion.MQTT_5, "c", true));
        paced.out(c);
        for (int second = 0; second < 3; second++) {
            for (int i = 0; i < 10; i++) {
                paced.in(c, publish("t", "x", QoS.AT_MOST_ONCE, 0));
            }
            paced.advance(1_000);
        }
        assertFalse(paced.isClosed(c), "10 per second, 3 seconds long");
        for (int i = 0; i < 10; i++) {
            paced.in(c, publish("t", "x", QoS.AT_MOST_ONCE, 0));
        }
        paced.in(c, publish("t", "x", QoS.AT_MOST_ONCE, 0));
        List<Packet> got = paced.out(c);
        assertEquals(ReasonCode.MESSAGE_RATE_TOO_HIGH, ((Disconnect) got.get(got.size() - 1)).reasonCode());
        assertTrue(paced.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] under an ACL a malformed filter is still a Protocol Error that closes, not a SUBACK 0x87")
    void malformedFilterUnderAcl() {
        ConnectionId r = client(ProtocolVersion.MQTT_5, "r", "reader");
        h.in(r, subscribe(1, "data/#/x", QoS.AT_MOST_ONCE));
        assertEquals(ReasonCode.PROTOCOL_ERROR, ((Disconnect) h.out(r).get(0)).reasonCode());
        assertTrue(h.closedByServer(r));
    }
}
