package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.config.FlowControl;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.publishes;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.withKeepAlive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publisher flow control in the core: which step says "stop reading this publisher" and which
 * says "read it again" ({@link Effect.PauseReading}, {@link Effect.ResumeReading}). One message in
 * flight per subscriber, so every further message waits in its queue; high water 3, low water 1.
 */
class PublisherFlowControlTest {

    private static final FlowControl FLOW = new FlowControl(3, 1);

    /** The broker of most cases here (JUnit makes one per test): flow control on, room to queue. */
    private final BrokerHarness h = broker(FLOW, 1_000);

    private static BrokerHarness broker(FlowControl flow, int maxQueued) {
        return new BrokerHarness(BrokerConfig.builder().maxInflightMessages(1).maxQueuedMessages(maxQueued)
                .limits(new ClientLimits(0, 0, 0).withFlowControl(flow)).build());
    }

    /** Whether the last of the core's reading instructions for {@code c} was to stop. */
    private static boolean paused(BrokerHarness h, ConnectionId c) {
        boolean paused = false;
        for (Effect e : h.allEffects()) {
            if (e instanceof Effect.PauseReading p && p.connection().equals(c)) {
                paused = true;
            } else if (e instanceof Effect.ResumeReading r && r.connection().equals(c)) {
                paused = false;
            }
        }
        return paused;
    }

    private static ConnectionId subscriber(BrokerHarness h, String clientId, String filter) {
        ConnectionId c = h.connected(V5, clientId);
        h.in(c, subscribe(1, filter, QoS.AT_LEAST_ONCE));
        h.out(c);
        return c;
    }

    private static void publishQos1(BrokerHarness h, ConnectionId publisher, String topic, int count, int firstId) {
        for (int i = 0; i < count; i++) {
            h.in(publisher, publish(topic, "m" + (firstId + i), QoS.AT_LEAST_ONCE, firstId + i));
        }
    }

    /** The publisher sends 4 QoS 1 messages to "t": 1 in flight and 3 queued for each subscriber, so it is held. */
    private static void holdPublisher(BrokerHarness h, ConnectionId publisher) {
        publishQos1(h, publisher, "t", 4, 1);
        assertTrue(paused(h, publisher), "3 queued: at high water");
    }

    /** The subscriber acknowledges what it was sent; returns how many it got. */
    private static int ackAll(BrokerHarness h, ConnectionId subscriber) {
        List<Publish> got = publishes(h.out(subscriber));
        for (Publish p : got) {
            h.in(subscriber, new PubAck(p.packetId()));
        }
        return got.size();
    }

    @Test
    @DisplayName("on: the publisher is held when a subscriber's queue reaches high water, read again at low water")
    void heldAtHighWaterReleasedAtLowWater() {
        ConnectionId sub = subscriber(h, "sub", "t");
        ConnectionId pub = h.connected(V3, "pub");
        publishQos1(h, pub, "t", 3, 1);   // one in flight, two queued
        assertFalse(paused(h, pub), "2 queued: under high water");
        publishQos1(h, pub, "t", 1, 4);   // three queued
        assertTrue(paused(h, pub), "3 queued: at high water");
        assertEquals(4, h.out(pub).size(), "held, yet every PUBLISH read so far is acknowledged");

        // One PUBACK moves one message from the queue into flight: 2 queued, still above low water
        h.in(sub, new PubAck(publishes(h.out(sub)).get(0).packetId()));
        assertTrue(paused(h, pub), "2 queued: above low water");
        h.in(sub, new PubAck(publishes(h.out(sub)).get(0).packetId()));
        assertFalse(paused(h, pub), "1 queued: at low water");
    }

    @Test
    @DisplayName("on: nothing is dropped while the publisher waits; everything arrives once the subscriber reads")
    void nothingDroppedWhenHeld() {
        BrokerHarness bounded = broker(FLOW, 4);   // a queue bound of 4, which the hold keeps it under
        ConnectionId sub = subscriber(bounded, "sub", "t");
        ConnectionId pub = bounded.connected(V3, "pub");
        int received = 0;
        int sent = 0;
        // Bounded rounds: a core whose acknowledgements free nothing would hold the publisher for ever.
        for (int round = 0; sent < 40 && round < 1_000; round++) {
            if (!paused(bounded, pub)) {   // the shell reads the publisher only when not held
                publishQos1(bounded, pub, "t", 1, ++sent);
            } else {
                received += ackAll(bounded, sub);
            }
        }
        for (int round = 0; round < 1_000 && bounded.state().session("sub").inflight().size() > 0; round++) {
            received += ackAll(bounded, sub);
        }
        assertEquals(40, sent, "the publisher was held for good");
        assertEquals(40, received);
        assertEquals(0, bounded.state().session("sub").droppedMessages());
    }

    @Test
    @DisplayName("off: the publisher is never held; a full queue drops the newest message and counts it")
    void offNeverHolds() {
        BrokerHarness bounded = broker(FlowControl.OFF, 4);   // off, and a queue bound of 4
        subscriber(bounded, "sub", "t");
        ConnectionId pub = bounded.connected(V3, "pub");
        publishQos1(bounded, pub, "t", 40, 1);
        assertTrue(bounded.allEffects().stream().noneMatch(e -> e instanceof Effect.PauseReading));
        assertEquals(35, bounded.state().session("sub").droppedMessages(), "1 in flight, 4 queued, the rest dropped");
    }

    @Test
    @DisplayName("on: a subscriber that disconnects lets its publishers go")
    void releasedWhenSubscriberLeaves() {
        ConnectionId sub = subscriber(h, "sub", "t");
        ConnectionId pub = h.connected(V3, "pub");
        holdPublisher(h, pub);
        h.lose(sub);
        assertFalse(paused(h, pub));
    }

    @Test
    @DisplayName("on: a kept session that goes offline lets its publishers go (it drains only when its client returns)")
    void releasedWhenKeptSessionGoesOffline() {
        ConnectionId sub = h.open();
        h.in(sub, Packets.connect5("kept", true, 3_600));
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = h.connected(V3, "pub");
        holdPublisher(h, pub);
        h.lose(sub);
        assertTrue(h.state().session("kept") != null, "the session is kept, offline, with its queue");
        assertFalse(paused(h, pub));
    }

    @Test
    @DisplayName("on: held until every subscriber it waits for has drained")
    void heldUntilAllDrain() {
        ConnectionId a = subscriber(h, "a", "t");
        ConnectionId b = subscriber(h, "b", "t");
        ConnectionId pub = h.connected(V3, "pub");
        holdPublisher(h, pub);
        for (int i = 0; i < 3; i++) {
            ackAll(h, a);
        }
        assertTrue(paused(h, pub), "b is still at high water");
        for (int i = 0; i < 3; i++) {
            ackAll(h, b);
        }
        assertFalse(paused(h, pub));
    }

    @Test
    @DisplayName("on: no hold that could close a cycle: not for the publisher's own session, not for a held client's")
    void noCycles() {
        ConnectionId self = subscriber(h, "self", "own");
        publishQos1(h, self, "own", 6, 1);
        assertFalse(paused(h, self), "its own PUBACKs drain its queue: holding it would hold it forever");

        ConnectionId sub = subscriber(h, "sub", "t");
        ConnectionId pub = subscriber(h, "pub", "back");
        holdPublisher(h, pub);
        publishQos1(h, sub, "back", 4, 1);   // pub's queue fills, but pub is not being read
        assertFalse(paused(h, sub), "sub's PUBACKs are what drains what pub waits for");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] keep-alive: a held publisher is not closed for the silence flow control makes")
    void keepAliveWhileHeld() {
        ConnectionId sub = subscriber(h, "sub", "t");
        ConnectionId pub = h.open();
        h.in(pub, withKeepAlive(connect(V3, "pub", true), 10));
        holdPublisher(h, pub);
        h.advance(60_000);
        assertFalse(h.isClosed(pub), "held for 60 s with Keep Alive 10 s");
        for (int i = 0; i < 3; i++) {
            ackAll(h, sub);
        }
        assertFalse(paused(h, pub));
        h.advance(14_000);
        assertFalse(h.isClosed(pub), "the wait counts as activity: 1.5 x Keep Alive from the release");
        h.advance(2_000);
        assertTrue(h.isClosed(pub), "and a silent client is closed as usual after that");
    }
}
