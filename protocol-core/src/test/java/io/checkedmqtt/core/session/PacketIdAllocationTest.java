package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packet identifiers for outbound messages at the top of their range: after 65535 comes 1, also
 * while the 3.1.1 timed resend sets identifiers aside for the rest of the connection; and when it
 * has set aside every free one, new messages wait instead of taking a quarantined identifier.
 */
class PacketIdAllocationTest {

    private static final ConnectionId CONN = new ConnectionId(1);

    private static List<Integer> idsOfNextSends(SessionTransitions t, Session s, int count) {
        List<Integer> ids = new ArrayList<>();
        Publish m = new Publish("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY);
        for (int i = 0; i < count; i++) {
            SessionStep step = t.onDeliver(s, m, 0, 0);
            ids.add(((Publish) ((Effect.Send) step.effects().get(0)).packet()).packetId());
            s = step.session();
        }
        return ids;
    }

    private static Session online(SessionTransitions t) {
        Connect c = new Connect(ProtocolVersion.MQTT_3_1_1, "c", false, 0, null, null, null, Properties.EMPTY);
        return t.onConnect(null, "c", false, c, CONN, 0).session();
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] v5 [MQTT-2.2.1-4] after 65535 the next packet id is 1 (never 0, never 65536)")
    void wrapsToOne() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = online(t).withSent(InflightWindow.EMPTY, 65_534);
        assertEquals(List.of(65_535, 1, 2), idsOfNextSends(t, s, 3));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] [MQTT-4.3.2-1] with ids set aside by the timed resend, 65535 still wraps to 1 and the set-aside id is skipped")
    void wrapsToOneWhileSkippingResentIds() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = online(t);
        Link link = s.link().withResent(2);
        s = s.withLink(link).withSent(InflightWindow.EMPTY, 65_534);
        assertEquals(List.of(65_535, 1, 3), idsOfNextSends(t, s, 3));
    }

    private static final Publish QOS1 =
            new Publish("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY);

    /** This session with the quarantine of its link set to exactly {@code resentIds}. */
    private static Session quarantining(Session s, PacketIdSet resentIds) {
        Link l = s.link();
        return s.withLink(new Link(l.connection(), l.keepAliveMillis(), l.lastPacketAtMillis(), l.sendLimit(),
                l.maximumPacketSize(), l.inboundAliases(), l.outboundAliases(), resentIds, l.earlierPubRels()));
    }

    /** Every identifier in {@code from..65535}. */
    private static PacketIdSet idsFrom(int from) {
        return PacketIdSet.of(IntStream.rangeClosed(from, 65_535).toArray());
    }

    /** The packet identifiers of the PUBLISHes among these effects, in order. */
    private static List<Integer> publishedIds(SessionStep step) {
        List<Integer> ids = new ArrayList<>();
        for (Effect e : step.effects()) {
            if (e instanceof Effect.Send send && send.packet() instanceof Publish p) {
                ids.add(p.packetId());
            }
        }
        return ids;
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] [MQTT-4.3.2-1] every free id quarantined: a new QoS 1 message waits in the queue instead of going out under a quarantined id; a completed flow with a non-quarantined id sends it")
    void waitsWhenEveryFreeIdIsQuarantined() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        SessionStep first = t.onDeliver(online(t), QOS1, 0, 0);
        assertEquals(List.of(1), publishedIds(first));
        // id 1 in flight, every other id resent on this connection: none is usable.
        Session s = quarantining(first.session(), idsFrom(2));
        assertEquals(Outbound.NO_USABLE_ID, Outbound.nextFreePacketId(s));

        SessionStep waits = t.onDeliver(s, QOS1, 1, 1);
        assertEquals(List.of(), waits.effects(), "no PUBLISH under a quarantined id");
        assertEquals(1, waits.session().queue().size());
        assertEquals(1, waits.session().inflight().size());
        SessionStep behind = t.onDeliver(waits.session(), QOS1, 2, 2);
        assertEquals(List.of(), behind.effects(), "the queue keeps the order");
        assertEquals(2, behind.session().queue().size());

        // PUBACK for id 1: its flow completes, and 1 is not quarantined, so the head goes out under 1.
        SessionStep acked = t.onPubAck(behind.session(), new PubAck(1), 3);
        assertEquals(List.of(1), publishedIds(acked));
        assertEquals(1, acked.session().queue().size(), "one usable id: one message sent, the next waits");
        assertEquals(1, acked.session().inflight().size());
        assertEquals(1, acked.session().inflight().get(0).packetId());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] [MQTT-4.3.2-1] [MQTT-4.4.0-1] with every id quarantined, a completed flow frees nothing usable; after a reconnect the quarantine is empty and the queue drains")
    void reconnectEmptiesTheQuarantineAndDrains() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = quarantining(t.onDeliver(online(t), QOS1, 0, 0).session(), idsFrom(1));
        s = t.onDeliver(s, QOS1, 1, 1).session();
        assertEquals(1, s.queue().size());

        // PUBACK for id 1: the flow completes, but 1 itself is quarantined; the message keeps waiting.
        SessionStep acked = t.onPubAck(s, new PubAck(1), 2);
        assertEquals(List.of(), publishedIds(acked));
        assertTrue(acked.session().inflight().isEmpty());
        assertEquals(1, acked.session().queue().size());

        Session off = t.onConnectionLost(acked.session(), 3).session();
        Connect c = new Connect(ProtocolVersion.MQTT_3_1_1, "c", false, 0, null, null, null, Properties.EMPTY);
        SessionStep back = t.onConnect(off, "c", false, c, new ConnectionId(2), 4);
        assertEquals(PacketIdSet.EMPTY, back.session().link().resentIds());
        assertEquals(List.of(2), publishedIds(back), "the queued message goes out under the next id");
        assertTrue(back.session().queue().isEmpty());
        assertEquals(2, back.session().inflight().get(0).packetId());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] [MQTT-4.3.2-1] the one id outside the quarantine is found wherever it lies, also by a full wrap")
    void findsTheOnlyUsableId() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session base = online(t);
        for (int usable : new int[] {1, 2, 40_000, 65_534, 65_535}) {
            int[] others = IntStream.rangeClosed(1, 65_535).filter(id -> id != usable).toArray();
            Session s = quarantining(base, PacketIdSet.of(others));
            for (int last : new int[] {0, usable - 1, usable, 65_535}) {
                assertEquals(usable, Outbound.nextFreePacketId(s.withSent(InflightWindow.EMPTY, last)),
                        "usable " + usable + ", last " + last);
            }
        }
    }
}
