package io.checkedmqtt.core.broker;

import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.DurableRecord;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.session.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.connect5;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.text;
import static io.checkedmqtt.testkit.Packets.will;
import static io.checkedmqtt.testkit.Packets.withWill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a core with persistence says must be durable, step by step, and what a restart brings
 * back: the records come before the packets that depend on them, and a crash is survived by
 * retained messages, subscriptions with their identifiers, wills and the deadlines that run
 * while the broker is down. After every step the records replay to the live state
 * ({@link DurabilityModelTest#checkNothingForgotten}).
 */
class DurableChangesTest {

    private final BrokerHarness h = new BrokerHarness(BrokerConfig.defaults(), true);

    private ConnectionId kept5(String clientId, long expirySeconds) {
        ConnectionId c = h.open();
        h.in(c, connect5(clientId, false, expirySeconds));
        h.out(c);
        return c;
    }

    /** A kept 5.0 session subscribed to {@code filter} whose client went away. */
    private void offlineSubscriber(String clientId, long expirySeconds, String filter, QoS qos) {
        ConnectionId c = kept5(clientId, expirySeconds);
        h.in(c, subscribe(1, filter, qos));
        h.lose(c);
    }

    private int indexOf(List<Effect> effects, Class<?> packetType) {
        for (int i = 0; i < effects.size(); i++) {
            if (effects.get(i) instanceof Effect.Send s && packetType.isInstance(s.packet())) {
                return i;
            }
        }
        return -1;
    }

    /** The effects of the last step: those added to the harness since {@code from}. */
    private List<Effect> since(int from) {
        return new ArrayList<>(h.allEffects().subList(from, h.allEffects().size()));
    }

    private List<DurableRecord> records(List<Effect> effects) {
        assertTrue(effects.get(0) instanceof Effect.Persist, "the records come first: " + effects);
        return ((Effect.Persist) effects.get(0)).records();
    }

    @Test
    @DisplayName("a core without persistence emits no Persist effect")
    void offByDefault() {
        BrokerHarness plain = new BrokerHarness(BrokerConfig.defaults());
        ConnectionId c = plain.open();
        plain.in(c, connect5("k", false, 600), subscribe(1, "t", QoS.EXACTLY_ONCE), publish("t", "m", QoS.EXACTLY_ONCE, 1));
        assertTrue(plain.allEffects().stream().noneMatch(e -> e instanceof Effect.Persist));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.2.2-2] v5 [MQTT-3.2.2-3] [MQTT-3.8.4-1] the kept session before its CONNACK, the subscription before its SUBACK")
    void connackAndSubackFollowTheirRecords() {
        ConnectionId c = h.open();
        int mark = h.allEffects().size();
        h.in(c, connect5("k", false, 600));
        List<Effect> connect = since(mark);
        assertEquals(List.of(new DurableRecord.SessionSaved("k", V5, 600, null, true, 0)), records(connect));
        assertTrue(indexOf(connect, Connack.class) > 0);
        mark = h.allEffects().size();
        h.in(c, subscribe(1, "a/+", QoS.AT_LEAST_ONCE));
        List<Effect> sub = since(mark);
        assertEquals(List.of(new DurableRecord.Subscribed("k", "a/+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE), 0)),
                records(sub));
        assertTrue(indexOf(sub, SubAck.class) > 0);
        DurabilityModelTest.checkNothingForgotten(h);
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.2-2] [MQTT-4.3.3-2] v5 [MQTT-4.3.2-4] [MQTT-4.3.3-8] the message queued for an offline kept session, and the QoS 2 identifier, before the PUBACK / PUBREC")
    void acknowledgementsFollowTheirRecords() {
        offlineSubscriber("sub", 600, "t", QoS.EXACTLY_ONCE);
        ConnectionId pub = kept5("pub", 600);
        int mark = h.allEffects().size();
        h.in(pub, publish("t", "one", QoS.AT_LEAST_ONCE, 7));
        List<Effect> qos1 = since(mark);
        assertTrue(records(qos1).get(0) instanceof DurableRecord.MessageQueued q && q.clientId().equals("sub"));
        assertTrue(indexOf(qos1, PubAck.class) > 0);
        mark = h.allEffects().size();
        h.in(pub, publish("t", "two", QoS.EXACTLY_ONCE, 8));
        List<Effect> qos2 = since(mark);
        assertTrue(records(qos2).contains(new DurableRecord.Qos2Received("pub", 8)), records(qos2).toString());
        assertTrue(indexOf(qos2, PubRec.class) > 0);
        DurabilityModelTest.checkNothingForgotten(h);
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.1-5] [MQTT-3.3.1-6] v3.1.1 [MQTT-3.3.1-5] [MQTT-3.3.1-10] retained messages are set, replaced and cleared in the records, and back after a crash")
    void retainedMessages() {
        ConnectionId pub = h.connected(V3, "clean-publisher");
        h.in(pub, new Publish("r/1", Packets.bytes("one"), QoS.AT_LEAST_ONCE, true, false, 1, Properties.EMPTY));
        h.in(pub, new Publish("$x/2", Packets.bytes("two"), QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY));
        DurabilityModelTest.checkNothingForgotten(h);
        h.in(pub, new Publish("r/1", Packets.bytes("newer"), QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY));
        h.in(pub, new Publish("$x/2", new byte[0], QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY));
        DurabilityModelTest.checkNothingForgotten(h);
        h.crash();
        assertEquals("newer", text(h.state().router().retained().get("r/1").publish()));
        assertNull(h.state().router().retained().get("$x/2"));
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.4-3] a changed Subscription Identifier is recorded, and the restored subscription carries it")
    void subscriptionIdentifiers() {
        ConnectionId c = kept5("k", 600);
        for (int id : new int[] {5, 7}) {
            h.in(c, new Subscribe(id, List.of(new Subscription("s/#", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                    Properties.of(new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, id))));
            DurabilityModelTest.checkNothingForgotten(h);
        }
        h.crash();
        assertEquals(7, h.state().router().index().get("k", "s/#").subscriptionId());
        ConnectionId again = kept5("k", 600);
        h.in(again, Packets.unsubscribe(9, "s/#"));
        DurabilityModelTest.checkNothingForgotten(h);
        h.crash();
        assertNull(h.state().router().index().get("k", "s/#"));
        assertTrue(h.state().session("k").subscriptions().isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-8] the will of a client connected when the broker crashed goes out when it starts again")
    void willOfAConnectedClientAfterACrash() {
        offlineSubscriber("watcher", 600, "will/#", QoS.AT_LEAST_ONCE);
        ConnectionId c = h.open();
        h.in(c, withWill(connect(V3, "device", false), will("will/device", "gone", QoS.AT_LEAST_ONCE, false, 0)));
        h.crash();
        h.advance(0);
        Session w = h.state().session("watcher");
        assertEquals(1, w.queue().size());
        assertEquals("gone", text(w.queue().peek().publish()));
        assertNull(h.state().session("device").will(), "published once");
        DurabilityModelTest.checkNothingForgotten(h);
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] a Will Delay Interval that started before a crash ends on time after it, counting the time the broker was down")
    void willDelayAcrossACrash() {
        offlineSubscriber("watcher", 600, "will/#", QoS.AT_LEAST_ONCE);
        ConnectionId c = h.open();
        h.in(c, withWill(connect5("device", false, 600), will("will/device", "gone", QoS.AT_LEAST_ONCE, false, 30)));
        h.lose(c);
        h.advance(10_000);
        h.crash(15_000);
        h.advance(4_000);
        assertTrue(h.state().session("watcher").queue().isEmpty(), "29 s after the disconnect: not yet");
        h.advance(1_000);
        assertEquals("gone", text(h.state().session("watcher").queue().peek().publish()));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-23] [MQTT-4.1.0-2] a session that expired while the broker was down is gone when it starts again")
    void sessionExpiryCountsTheDowntime() {
        offlineSubscriber("k", 60, "t", QoS.AT_LEAST_ONCE);
        h.advance(30_000);
        h.crash(40_000);
        assertTrue(h.timers().containsValue(h.now() - 10_000), "the expiry deadline is in the past: " + h.timers());
        h.advance(0);
        assertNull(h.state().session("k"));
        assertNull(h.state().router().index().get("k", "t"));
        DurabilityModelTest.checkNothingForgotten(h);
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] a queued message whose expiry passed while the broker was down is not delivered")
    void messageExpiryCountsTheDowntime() {
        offlineSubscriber("sub", 3_600, "t", QoS.AT_LEAST_ONCE);
        ConnectionId pub = h.connected(V5, "pub");
        h.in(pub, new Publish("t", Packets.bytes("short"), QoS.AT_LEAST_ONCE, false, false, 1,
                Properties.of(new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60))));
        h.in(pub, publish("t", "forever", QoS.AT_LEAST_ONCE, 2));
        h.crash(61_000);
        ConnectionId back = h.open();
        h.in(back, connect5("sub", false, 3_600));
        List<String> got = new ArrayList<>();
        for (Packet p : h.out(back)) {
            if (p instanceof Publish m) {
                got.add(text(m));
            }
        }
        assertEquals(List.of("forever"), got);
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-6] [MQTT-4.4.0-1] a message in flight when the broker went down is resent with the seconds left, the downtime counted")
    void inflightExpiryCountsTheDowntime() {
        ConnectionId sub = kept5("sub", 3_600);
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = h.connected(V5, "pub");
        h.in(pub, new Publish("t", Packets.bytes("m"), QoS.AT_LEAST_ONCE, false, false, 1,
                Properties.of(new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60))));
        assertEquals(1, h.out(sub).size(), "sent once, never acknowledged");
        h.advance(5_000);
        h.crash(15_000);
        ConnectionId back = h.open();
        h.in(back, connect5("sub", false, 3_600));
        Publish again = (Publish) h.out(back).stream().filter(Publish.class::isInstance).findFirst().orElseThrow();
        assertTrue(again.dup());
        assertEquals(40, again.properties().integer(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1),
                "60 s less the 20 s since it was received, 15 of them with the broker down");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-6] v5 [MQTT-3.1.2-4] Clean Start on a kept session: the records rebuild the fresh session, the old queue and subscriptions gone")
    void cleanStartReplacesAKeptSession() {
        offlineSubscriber("k", 600, "t", QoS.AT_LEAST_ONCE);
        ConnectionId pub = h.connected(V3, "pub");
        h.in(pub, publish("t", "m", QoS.AT_LEAST_ONCE, 1));
        ConnectionId fresh = h.open();
        h.in(fresh, Packets.withProperty(connect5("k", true, 600), PropertyId.SESSION_EXPIRY_INTERVAL, 600));
        DurabilityModelTest.checkNothingForgotten(h);
        h.crash();
        Session s = h.state().session("k");
        assertTrue(s.queue().isEmpty() && s.subscriptions().isEmpty());
    }

    @Test
    @DisplayName("a graceful stop records every kept session offline, so its expiry counts from the stop")
    void shutdownRecordsSessionsOffline() {
        kept5("k", 600);
        int mark = h.allEffects().size();
        h.advance(5_000);
        h.shutdown();
        List<DurableRecord> records = records(since(mark));
        assertEquals(List.of(new DurableRecord.SessionSaved("k", V5, 600, null, false, h.now())), records);
        assertFalse(h.state().session("k").isOnline());
        DurabilityModelTest.checkNothingForgotten(h);
    }
}
