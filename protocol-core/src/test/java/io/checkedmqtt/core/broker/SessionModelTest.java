package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.SimClient;
import io.checkedmqtt.testkit.TestConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Stateful model test: seeded random sequences of connect / subscribe / publish / read-and-ack /
 * lose an answer / drop / disconnect / let time pass, over two kept clients (3.1.1 and 5.0) and
 * one clean client (the 5.0 one with Receive Maximum 2, below the server's in-flight limit of 3),
 * with invariants checked after every step and a liveness check at the end.
 * QuickTheories generates the sequences from its seed and shrinks a failing one to a minimal
 * sequence of action codes.
 *
 * <p>Invariants: packet identifiers unique among a session's in-flight messages and in
 * 1..65535 [v3.1.1 MQTT-2.3.1-4; v5 MQTT-2.2.1-4]; never more in flight than allowed
 * [v5 MQTT-3.3.4-9]; no QoS 2 message handed to an application twice [v5 MQTT-4.3.3-10];
 * no connection closed by the server (the clients behave). At the end, once every client stays
 * connected and acknowledges, every QoS 1/2 message accepted for a kept session has arrived
 * (QoS 2 exactly once) [v3.1.1 MQTT-4.4.0-1; v5 MQTT-4.4.0-1].
 */
class SessionModelTest {

    private static final int MAX_INFLIGHT = TestConfigs.SMALL_WINDOW;

    /** One run of the model: the system under test plus what the test expects of it. */
    static final class Model {
        final BrokerHarness h = new BrokerHarness(TestConfigs.smallWindow().build());
        final List<SimClient> clients = List.of(
                new SimClient("k3", Packets.V3, false),
                new SimClient("k5", Packets.V5, false, 2),
                new SimClient("c3", Packets.V3, true));
        final ConnectionId publisher;
        /** For each kept client: payload to the QoS it was accepted with. */
        final Map<String, Map<String, QoS>> owed = new HashMap<>();
        /** Payloads whose delivery to a client was QoS 2, per client. */
        final Map<String, Set<String>> exactlyOnce = new HashMap<>();
        int nextMessage;
        final List<String> log = new ArrayList<>();

        Model() {
            publisher = h.open();
            h.in(publisher, Packets.connect(Packets.V5, "pub", true));
            h.out(publisher);
            for (SimClient c : clients) {
                owed.put(c.id, new HashMap<>());
                exactlyOnce.put(c.id, new HashSet<>());
            }
        }

        void act(int code) {
            SimClient c = clients.get((code / 10) % clients.size());
            int arg = code / 30;
            switch (code % 10) {
                case 0 -> {
                    if (!c.online()) {
                        log.add("connect " + c.id);
                        c.connect(h);
                    }
                }
                case 1 -> {
                    if (c.online()) {
                        QoS q = QoS.of(arg % 3);
                        log.add("subscribe " + c.id + " " + q);
                        h.in(c.connection, subscribe(1 + arg % 100, "t/" + (arg % 2), q));
                    }
                }
                case 2, 3, 4 -> publish(QoS.of(arg % 3), "t/" + (arg / 3 % 2), arg % 4 == 0);
                case 5, 6 -> {
                    if (c.online()) {
                        log.add("step " + c.id);
                        c.step(h, false);
                    }
                }
                case 7 -> {
                    // TCP loses nothing while a connection lives: a lost answer means the
                    // connection broke right after the client read the packet.
                    if (c.online()) {
                        log.add("step-lose-answer-and-drop " + c.id);
                        c.step(h, true);
                        c.lose(h);
                    }
                }
                case 8 -> {
                    if (c.online()) {
                        if (arg % 2 == 0) {
                            log.add("drop " + c.id);
                            c.lose(h);
                        } else {
                            log.add("disconnect " + c.id);
                            c.disconnect(h);
                        }
                    }
                }
                default -> {
                    log.add("advance " + (arg % 5) + "s");
                    h.advance((arg % 5) * 1000L);
                }
            }
            for (SimClient client : clients) {
                client.fetch(h); // what the server sent is on the wire now
            }
        }

        /** The publisher sends a message; {@code repeat}: it sends the PUBLISH twice (DUP) before PUBREL. */
        void publish(QoS q, String topic, boolean repeat) {
            String payload = "m" + nextMessage++;
            log.add("publish " + payload + " " + q + " " + topic + (repeat ? " twice" : ""));
            // What the broker owes each kept session: decided by its state when it accepts the message.
            for (SimClient c : clients) {
                Session s = h.state().session(c.id);
                if (s == null) {
                    continue;
                }
                var options = s.subscriptions().get(topic);
                if (options == null) {
                    continue;
                }
                QoS effective = q.min(options.maxQos());
                if (effective == QoS.EXACTLY_ONCE) {
                    exactlyOnce.get(c.id).add(payload);
                }
                if (!c.clean && effective != QoS.AT_MOST_ONCE) {
                    owed.get(c.id).put(payload, effective);
                }
            }
            var packet = Packets.publish(topic, payload, q, q == QoS.AT_MOST_ONCE ? 0 : 1 + nextMessage % 60_000);
            h.in(publisher, packet);
            if (repeat && q == QoS.EXACTLY_ONCE) {
                // the publisher did not see our PUBREC and sends again: never handed on twice [v5 MQTT-4.3.3-10]
                h.in(publisher, packet.asDuplicate());
            }
            if (q == QoS.EXACTLY_ONCE) {
                h.in(publisher, new PubRel(1 + nextMessage % 60_000));
            }
            h.out(publisher);
        }

        void checkInvariants() {
            for (SimClient c : clients) {
                Session s = h.state().session(c.id);
                if (s != null) {
                    Set<Integer> ids = new HashSet<>();
                    for (InflightMessage m : s.inflight()) {
                        assertTrue(m.packetId() >= 1 && m.packetId() <= 65_535, "packet id range");
                        assertTrue(ids.add(m.packetId()), "packet ids unique in flight: " + s.inflight());
                    }
                    int allowed = c.receiveMaximum == 0 ? MAX_INFLIGHT : Math.min(MAX_INFLIGHT, c.receiveMaximum);
                    assertTrue(s.inflight().size() <= allowed, "in flight " + s.inflight().size() + " > " + allowed);
                    assertEquals(s.isOnline(), c.online(), "online state of " + c.id);
                }
                if (c.online()) {
                    assertFalse(h.closedByServer(c.connection), "server closed " + c.id);
                }
                for (String payload : exactlyOnce.get(c.id)) {
                    assertTrue(c.count(payload) <= 1, "QoS 2 message " + payload + " handed on twice to "
                            + c.id);
                }
            }
        }

        /** Every client connects and stays; all acknowledgements flow; everything owed arrives. */
        void checkEventuallyDelivered() {
            for (int round = 0; round < 3; round++) {
                for (SimClient c : clients) {
                    if (!c.online()) {
                        c.connect(h);
                    }
                    c.drain(h);
                }
                h.advance(10_000); // lets 3.1.1 timed resends fire; they must be harmless
            }
            for (SimClient c : clients) {
                c.drain(h);
                for (Map.Entry<String, QoS> e : owed.get(c.id).entrySet()) {
                    int n = c.count(e.getKey());
                    if (e.getValue() == QoS.EXACTLY_ONCE) {
                        assertEquals(1, n, e.getKey() + " QoS 2 to " + c.id);
                    } else {
                        assertTrue(n >= 1, e.getKey() + " QoS 1 to " + c.id + " never arrived");
                    }
                }
                Session s = h.state().session(c.id);
                assertTrue(s.inflight().isEmpty() && s.queue().isEmpty(), "nothing left for " + c.id);
            }
        }
    }

    static void run(List<Integer> actions) {
        Model m = new Model();
        try {
            for (int code : actions) {
                m.act(code);
                m.checkInvariants();
            }
            m.checkEventuallyDelivered();
        } catch (AssertionError e) {
            fail(e.getMessage() + "\nactions: " + m.log, e);
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] [MQTT-4.4.0-1] v5 [MQTT-2.2.1-4] [MQTT-3.3.4-9] [MQTT-4.3.3-10] [MQTT-4.4.0-1] random connect/subscribe/publish/ack/drop/reconnect/deadline sequences keep the invariants")
    void randomSequences() {
        qt().withExamples(1000).withShrinkCycles(200)
                .forAll(lists().of(integers().between(0, 2_999)).ofSizeBetween(1, 80))
                .checkAssert(SessionModelTest::run);
    }

    @Test
    @DisplayName("a fixed sequence with drops mid-handshake on both kept clients")
    void fixedSequence() {
        // connect all, subscribe QoS 2 on t/0, publish QoS 2 twice, read one packet, drop, reconnect
        run(List.of(0, 10, 20, 61, 71, 81, 2, 2, 5, 15, 7, 17, 8, 18, 0, 10, 5, 15, 5, 15));
    }
}
