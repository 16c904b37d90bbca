package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BrokerView}: what the HTTP API, the metrics and $SYS read from a state, checked against what the clients did. */
class BrokerViewTest {

    /**
     * A broker with: "on" (5.0, connected, keep-alive 30, two subscriptions, one QoS 1 message in
     * flight and one queued behind a window of 1); "off" (5.0, offline, one subscription, two
     * messages queued); "v3" (3.1.1, connected, no subscription); two retained messages.
     */
    private static BrokerHarness scene() {
        BrokerHarness h = new BrokerHarness(BrokerConfig.builder().maxInflightMessages(1).build());
        ConnectionId on = h.open();
        h.in(on, Packets.withKeepAlive(connect5("on", false, 100), 30));
        h.in(on, subscribe(1, "a/+", QoS.AT_LEAST_ONCE, "b/#", QoS.AT_MOST_ONCE));
        ConnectionId off = h.open();
        h.in(off, connect5("off", false, 100));
        h.in(off, subscribe(1, "a/+", QoS.EXACTLY_ONCE));
        h.lose(off);
        ConnectionId v3 = h.connected(V3, "v3");
        h.in(v3, new Publish("r/1", Packets.bytes("one"), QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY),
                new Publish("r/2", Packets.bytes("two"), QoS.AT_LEAST_ONCE, true, false, 1, Properties.EMPTY),
                publish("a/x", "m1", QoS.AT_LEAST_ONCE, 2), publish("a/x", "m2", QoS.AT_LEAST_ONCE, 3));
        return h;
    }

    @Test
    @DisplayName("totals count connections, sessions, subscriptions, retained, in-flight and queued messages")
    void totals() {
        BrokerView.Totals t = BrokerView.totals(scene().state());
        // queued bytes as max_queued_bytes counts them: a 2-byte payload and a 3-byte topic each
        assertEquals(new BrokerView.Totals(2, 2, 3, 3, 2, 1, 3, 15), t);
    }

    @Test
    @DisplayName("clients are listed sorted by identifier, each with what its session holds")
    void clients() {
        BrokerHarness h = scene();
        assertEquals(List.of("off", "on", "v3"), BrokerView.clientIds(h.state()));
        List<BrokerView.Client> clients = BrokerView.clientIds(h.state()).stream()
                .map(id -> BrokerView.clientRow(h.state(), id)).toList();
        BrokerView.Client off = clients.get(0);
        BrokerView.Client on = clients.get(1);
        assertFalse(off.connected());
        assertEquals(2, off.queued());
        assertEquals(10, off.queuedBytes());
        assertEquals(1, off.subscriptions());
        assertTrue(on.connected());
        assertEquals(V5, on.version());
        assertEquals(30, on.keepAliveSeconds());
        assertEquals(100, on.expirySeconds());
        assertEquals(1, on.inflight());
        assertEquals(1, on.queued());
        assertEquals(2, on.subscriptions());
        assertEquals(V3, clients.get(2).version());
        assertNull(BrokerView.clientRow(h.state(), "nobody"));
    }

    @Test
    @DisplayName("one client in full: subscriptions sorted by filter with their options, in-flight and queued messages oldest first")
    void clientDetail() {
        BrokerView.ClientDetail on = BrokerView.client(scene().state(), "on");
        assertEquals(List.of(new Subscription("a/+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                new Subscription("b/#", SubscriptionOptions.of(QoS.AT_MOST_ONCE))), on.subscriptions());
        assertEquals(1, on.inflight().size());
        assertEquals("awaiting PUBACK", on.inflight().get(0).stage());
        assertEquals("m1", Packets.text(on.inflight().get(0).publish()));
        assertEquals("m2", Packets.text(on.queued().get(0).publish()));
        assertEquals("queued", on.queued().get(0).stage());
        assertNull(BrokerView.client(scene().state(), "nobody"));
    }

    @Test
    @DisplayName("retained messages sorted by topic, all or those a filter matches; a malformed filter is refused with the reason")
    void retained() {
        BrokerState state = scene().state();
        assertEquals(List.of("r/1", "r/2"), topics(BrokerView.retained(state, null)));
        assertEquals(List.of("r/2"), topics(BrokerView.retained(state, "+/2")));
        assertEquals(List.of(), topics(BrokerView.retained(state, "x/#")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerView.retained(state, "r/#/x"));
        assertTrue(e.getMessage().contains("MQTT-4.7.1"), e.getMessage());
    }

    @Test
    @DisplayName("the subscription index's filters with how many clients hold each, sorted")
    void topics() {
        assertEquals(List.of(new BrokerView.Topic("a/+", 2), new BrokerView.Topic("b/#", 1)),
                BrokerView.topics(scene().state()));
    }

    private static List<String> topics(List<BrokerView.Message> messages) {
        return messages.stream().map(m -> m.publish().topic()).toList();
    }
}
