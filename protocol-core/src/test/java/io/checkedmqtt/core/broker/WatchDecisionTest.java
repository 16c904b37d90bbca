package io.checkedmqtt.core.broker;

import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decisions of the core no packet shows come out as data ({@code Effect.Noted}) for watched
 * clients only: queued for an offline session, dropped for a full queue, QoS 0 not kept offline,
 * expired, downgraded, routed.
 */
class WatchDecisionTest {

    private static List<Note.DecisionKind> kinds(List<Note.Decision> decisions) {
        return decisions.stream().map(Note.Decision::kind).toList();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-3.1.2-5] v5 [MQTT-3.1.2-23] queued for the offline watched session, then dropped when its queue is full; QoS 0 is not kept")
    void offlineQueue(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v, BrokerConfig.builder().maxQueuedMessages(1).build());
        ConnectionId dev = f.connectKept("dev-1");
        f.h.in(dev, Packets.subscribe(1, "q/#", QoS.AT_LEAST_ONCE));
        f.h.lose(dev);
        ConnectionId pub = f.h.connected(v, "other");
        f.h.in(pub, f.publish("q/1", "a", 1, 1, false), f.publish("q/1", "b", 1, 2, false),
                f.publish("q/1", "c", 0, 0, false));
        List<Note.Decision> d = f.decisions("dev-1");
        assertEquals(List.of(Note.DecisionKind.QUEUED_OFFLINE, Note.DecisionKind.DROPPED_QUEUE_FULL,
                Note.DecisionKind.DROPPED_QOS0_OFFLINE), kinds(d));
        assertEquals("a", Packets.text(d.get(0).message()));
        assertEquals("the client is offline; 1 queued", d.get(0).reason());
        // the bytes the queue is weighed by: topic "q/1" and payload "a"
        assertEquals("the queue holds 1 messages, 4 bytes (max_queued_messages 1, max_queued_bytes 0)",
                d.get(1).reason());
        assertEquals(List.of(), f.decisions("other"), "nobody watches 'other'");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] a queued message whose Message Expiry Interval ran out is noted as expired, not sent")
    void expired() {
        WatchFixture f = new WatchFixture(ProtocolVersion.MQTT_5);
        ConnectionId dev = f.connectKept("dev-1");
        f.h.in(dev, Packets.subscribe(1, "e", QoS.AT_LEAST_ONCE));
        f.h.lose(dev);
        ConnectionId pub = f.h.connected(ProtocolVersion.MQTT_5, "p");
        f.h.in(pub, new Publish("e", Packets.bytes("x"), QoS.AT_LEAST_ONCE, false, false, 1,
                Properties.EMPTY.withInteger(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1)));
        f.h.advance(2_000);
        ConnectionId again = f.connectKept("dev-1");
        assertTrue(f.h.out(again).isEmpty(), "nothing sent");
        assertEquals(List.of(Note.DecisionKind.QUEUED_OFFLINE, Note.DecisionKind.EXPIRED), kinds(f.decisions("dev-1")));
        assertTrue(f.decisions("dev-1").get(1).reason().startsWith("its Message Expiry Interval ran out 2000 ms"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-3.8.4-6] v5 [MQTT-3.8.4-8] a watched publisher sees where its message went; a watched subscriber that gets it at a lower QoS sees the downgrade")
    void routedAndDowngraded(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId sub = f.h.connected(v, "dev-sub");
        f.h.in(sub, Packets.subscribe(1, "d", QoS.AT_LEAST_ONCE));
        ConnectionId pub = f.h.connected(v, "dev-pub");
        f.h.in(pub, f.publish("d", "m", 2, 7, false), f.publish("nowhere", "m", 1, 8, false));
        List<Note.Decision> published = f.decisions("dev-pub");
        assertEquals(List.of(Note.DecisionKind.ROUTED, Note.DecisionKind.ROUTED), kinds(published));
        assertEquals("to 1 subscription", published.get(0).reason());
        assertEquals("no subscription matches", published.get(1).reason());
        List<Note.Decision> received = f.decisions("dev-sub");
        assertEquals(List.of(Note.DecisionKind.DOWNGRADED), kinds(received));
        assertEquals(QoS.AT_LEAST_ONCE, received.get(0).message().qos());
        assertTrue(received.get(0).reason().startsWith("published at QoS 2, delivered at QoS 1"));
    }

    @Test
    @DisplayName("queued while the in-flight window is full, then sent once a PUBACK frees a slot")
    void windowFull() {
        WatchFixture f = new WatchFixture(ProtocolVersion.MQTT_3_1_1, BrokerConfig.builder().maxInflightMessages(1)
                .build());
        ConnectionId sub = f.h.connected(ProtocolVersion.MQTT_3_1_1, "dev-1");
        f.h.in(sub, Packets.subscribe(1, "w", QoS.AT_LEAST_ONCE));
        ConnectionId pub = f.h.connected(ProtocolVersion.MQTT_3_1_1, "p");
        f.h.in(pub, f.publish("w", "1", 1, 1, false), f.publish("w", "2", 1, 2, false));
        assertEquals(List.of(Note.DecisionKind.QUEUED_WINDOW_FULL), kinds(f.decisions("dev-1")));
        assertEquals("1 queued behind 1 in flight (window 1)", f.decisions("dev-1").get(0).reason());
    }

    @Test
    @DisplayName("with nobody watched the core emits exactly what it emits without watching: no notes, no timers, no $SYS reports")
    void nobodyWatchedChangesNothing() {
        BrokerHarness plain = new BrokerHarness();
        WatchFixture watchedOther = new WatchFixture(ProtocolVersion.MQTT_5);
        for (BrokerHarness h : List.of(plain, watchedOther.h)) {
            ConnectionId s = h.connected(ProtocolVersion.MQTT_5, "sub");
            h.in(s, Packets.subscribe(1, "t", QoS.AT_MOST_ONCE));
            ConnectionId p = h.connected(ProtocolVersion.MQTT_5, "pub");
            h.in(p, Packets.publish("t", "x", QoS.EXACTLY_ONCE, 1));
            h.lose(s);
        }
        assertEquals(plain.allEffects(), watchedOther.h.allEffects());
        assertTrue(plain.allEffects().stream().noneMatch(e -> e instanceof Effect.Noted));
    }
}
