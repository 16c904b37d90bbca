package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect5;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inputs that come from the broker's operator or from the broker itself rather than from a
 * client: an administrator disconnecting a client or deleting a retained message (the HTTP API),
 * and the broker publishing a message of its own (the {@code $SYS} topics). They are core inputs,
 * so what they do to sessions and routing is decided here, like everything else.
 */
class BrokerInitiatedInputsTest {

    private static Publish sys(String topic, String value) {
        return new Publish(topic, Packets.bytes(value), QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY);
    }

    @Test
    @DisplayName("v5 [MQTT-3.14.2-1] [MQTT-3.1.2-8] an administrator's disconnect sends DISCONNECT 0x98, closes, publishes the will and keeps the session")
    void administratorDisconnectsAV5Client() {
        BrokerHarness h = new BrokerHarness();
        ConnectionId watcher = h.connected(V5, "watcher");
        h.in(watcher, subscribe(1, "wills/#", QoS.AT_LEAST_ONCE));
        h.out(watcher);
        ConnectionId a = h.open();
        h.in(a, Packets.withWill(connect5("a", false, 100), Packets.will("wills/a", "gone", QoS.AT_MOST_ONCE, false, 0)));
        h.out(a);

        h.run(core(h).administratorDisconnects(h.state(), "a", h.now()));

        assertEquals(List.of(new Disconnect(ReasonCode.ADMINISTRATIVE_ACTION)), h.out(a));
        assertEquals(ReasonCode.ADMINISTRATIVE_ACTION, h.closeReason(a));
        List<Packet> will = h.out(watcher);
        assertEquals(1, will.size());
        assertEquals("wills/a", assertInstanceOf(Publish.class, will.get(0)).topic());
        assertFalse(h.state().isConnected("a"));
        assertTrue(h.state().session("a") != null, "the session has an expiry of 100 s: it stays, offline");
    }

    @Test
    @DisplayName("v3 [MQTT-3.1.2-8] an administrator's disconnect closes a 3.1.1 client without a packet (3.1.1 has no server DISCONNECT)")
    void administratorDisconnectsAV3Client() {
        BrokerHarness h = new BrokerHarness();
        ConnectionId a = h.connected(V3, "a");
        h.run(core(h).administratorDisconnects(h.state(), "a", h.now()));
        assertEquals(List.of(), h.out(a));
        assertTrue(h.closedByServer(a));
        assertNull(h.state().session("a"), "CleanSession=1: the session ended with its connection");
    }

    @Test
    @DisplayName("an administrator's disconnect of a client that is offline or unknown changes nothing")
    void administratorDisconnectsNobody() {
        BrokerHarness h = new BrokerHarness();
        ConnectionId a = h.open();
        h.in(a, connect5("a", false, 100));
        h.lose(a);
        BrokerState before = h.state();
        Step offline = core(h).administratorDisconnects(before, "a", h.now());
        Step unknown = core(h).administratorDisconnects(before, "nobody", h.now());
        assertSame(before, offline.state());
        assertEquals(List.of(), offline.effects());
        assertSame(before, unknown.state());
        assertEquals(List.of(), unknown.effects());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.1-6] an administrator deletes a retained message: new subscribers get none, nobody is sent anything, other topics keep theirs")
    void administratorDeletesRetained() {
        BrokerHarness h = new BrokerHarness();
        ConnectionId p = h.connected(V5, "p");
        h.in(p, new Publish("a/b", Packets.bytes("1"), QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY),
                new Publish("a/c", Packets.bytes("2"), QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY));
        ConnectionId watcher = h.connected(V5, "watcher");
        h.in(watcher, subscribe(1, "a/#", QoS.AT_MOST_ONCE));
        assertEquals(3, h.out(watcher).size(), "SUBACK and the two retained messages");

        Step step = core(h).administratorDeletesRetained(h.state(), "a/b", h.now());
        assertEquals(List.of(), step.effects());
        h.run(step);

        assertEquals(List.of(), h.out(watcher));
        assertEquals(List.of("a/c"), BrokerView.retained(h.state(), null).stream().map(m -> m.publish().topic()).toList());
        BrokerState before = h.state();
        assertEquals(1, core(h).administratorDeletesRetained(before, "a/none", h.now()).state().router().retained().size());
    }

    @Test
    @DisplayName("v5 [MQTT-4.7.2-1] a message from the broker on $SYS/... reaches $SYS/# but not # or +/broker/...; it is retained")
    void brokerPublishesSys() {
        BrokerHarness h = new BrokerHarness();
        ConnectionId all = h.connected(V5, "all");
        h.in(all, subscribe(1, "#", QoS.AT_MOST_ONCE, "+/broker/uptime", QoS.AT_MOST_ONCE));
        ConnectionId sys = h.connected(V3, "sys");
        h.in(sys, subscribe(1, "$SYS/#", QoS.AT_MOST_ONCE));
        h.out(all);
        h.out(sys);

        h.run(core(h).publishFromBroker(h.state(), sys("$SYS/broker/uptime", "10 seconds"), h.now()));

        assertEquals(List.of(), h.out(all));
        List<Packet> got = h.out(sys);
        assertEquals(1, got.size());
        Publish p = assertInstanceOf(Publish.class, got.get(0));
        assertEquals("$SYS/broker/uptime", p.topic());
        assertEquals("10 seconds", Packets.text(p));
        assertEquals(1, h.state().router().retained().size(), "retained, as Mosquitto retains its $SYS values");

        ConnectionId late = h.connected(V5, "late");
        h.in(late, subscribe(1, "$SYS/broker/+", QoS.AT_MOST_ONCE));
        List<Packet> retained = h.out(late);
        assertInstanceOf(SubAck.class, retained.get(0));
        assertEquals("10 seconds", Packets.text(assertInstanceOf(Publish.class, retained.get(1))));
    }

    @Test
    @DisplayName("the broker may publish only to a Topic Name: an empty topic or a wildcard is refused")
    void brokerPublishesOnlyToTopicNames() {
        BrokerHarness h = new BrokerHarness();
        for (String topic : List.of("", "$SYS/+", "$SYS/#")) {
            assertThrows(IllegalArgumentException.class,
                    () -> core(h).publishFromBroker(h.state(), sys(topic, "x"), h.now()), topic);
        }
    }

    @Test
    @DisplayName("a full session queue is reported to the shell as MessagesDropped, once per message dropped")
    void droppedMessagesAreReported() {
        BrokerHarness h = new BrokerHarness(BrokerConfig.builder().maxQueuedMessages(2).build());
        ConnectionId s = h.open();
        h.in(s, connect5("s", false, 1000));
        h.in(s, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(s);
        ConnectionId p = h.connected(V5, "p");
        int from = h.allEffects().size();
        for (int i = 1; i <= 5; i++) {
            h.in(p, publish("t", "m" + i, QoS.AT_LEAST_ONCE, i));
        }
        List<Effect.MessagesDropped> drops = h.allEffects().subList(from, h.allEffects().size()).stream()
                .filter(Effect.MessagesDropped.class::isInstance).map(Effect.MessagesDropped.class::cast).toList();
        assertEquals(List.of(new Effect.MessagesDropped("s", 1), new Effect.MessagesDropped("s", 1),
                new Effect.MessagesDropped("s", 1)), drops);
        assertEquals(3, BrokerView.client(h.state(), "s").client().dropped());
    }

    /** The core the harness runs, for the inputs its harness has no method for (the administrator's, the broker's own). */
    private static BrokerCore core(BrokerHarness h) {
        return new BrokerCore(h.core().config());
    }
}
