package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.ProtocolVersions;
import io.checkedmqtt.testkit.SimClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * The two tables of DESIGN.md as properties over every combination: publish QoS x subscription
 * QoS x clean flag x subscriber online / offline / reconnecting (x protocol version x where the
 * connection broke), counting how often the subscriber's application gets the message.
 *
 * <pre>
 * | QoS | clean = true                          | clean = false                                   |
 * | 0   | no offline messages; online: once     | no offline messages; online: tried once         |
 * | 1   | no offline messages; online: >= 1     | offline kept; every message at least once       |
 * | 2   | no offline messages; online: exactly 1| offline kept; every message exactly once        |
 * </pre>
 * The QoS in the table is the one of the hop to the subscriber: min(publish, subscription)
 * [v3.1.1 MQTT-3.8.4-6; v5 MQTT-3.8.4-8].
 */
class DeliveryTableTest {

    enum Presence { ONLINE, OFFLINE, RECONNECTING }

    /**
     * One scenario; returns how often the application saw the message.
     *
     * @param breakAt      RECONNECTING only: how many server packets the subscriber reads before the
     *                     connection breaks (0: the PUBLISH itself is lost)
     * @param answerLost   RECONNECTING only: the answer to the last packet read is lost too
     */
    static int deliveries(ProtocolVersion v, QoS published, QoS subscribed, boolean clean, Presence presence,
                          int breakAt, boolean answerLost) {
        BrokerHarness h = new BrokerHarness();
        SimClient sub = new SimClient("sub", v, clean);
        sub.connect(h);
        h.in(sub.connection, subscribe(1, "t", subscribed));
        sub.drain(h);
        ConnectionId pub = h.open();
        h.in(pub, Packets.connect(v, "pub", true));
        if (presence == Presence.OFFLINE) {
            sub.disconnect(h);
        }
        h.in(pub, publish("t", "m", published, published == QoS.AT_MOST_ONCE ? 0 : 1));
        h.in(pub, new io.checkedmqtt.core.packet.PubRel(1)); // finishes an inbound QoS 2; harmless otherwise
        if (presence == Presence.RECONNECTING) {
            for (int i = 0; i < breakAt; i++) {
                sub.step(h, answerLost && i == breakAt - 1);
            }
            sub.lose(h);
        }
        if (presence != Presence.ONLINE) {
            h.advance(1_000);
            sub.connect(h);
            if (!sub.sessionPresent) {
                h.in(sub.connection, subscribe(2, "t", subscribed));
            }
        }
        sub.drain(h);
        return sub.count("m");
    }

    /** What the table promises, checked against an observed count; returns a description of the rule. */
    static void checkTable(QoS q, boolean clean, Presence presence, int count, String context) {
        switch (presence) {
            case ONLINE -> {
                if (q == QoS.AT_LEAST_ONCE) {
                    assertTrue(count >= 1, "online QoS 1 arrives at least once: " + context);
                } else {
                    assertEquals(1, count, "online QoS 0 tried once (lossless link), QoS 2 exactly once: " + context);
                }
            }
            case OFFLINE -> {
                if (clean || q == QoS.AT_MOST_ONCE) {
                    assertEquals(0, count, "no offline messages: " + context);
                } else if (q == QoS.AT_LEAST_ONCE) {
                    assertTrue(count >= 1, "kept session, QoS 1: at least once: " + context);
                } else {
                    assertEquals(1, count, "kept session, QoS 2: exactly once: " + context);
                }
            }
            case RECONNECTING -> {
                if (clean || q == QoS.AT_MOST_ONCE) {
                    assertTrue(count <= 1, "no retry for QoS 0 nor for a clean session: " + context);
                } else if (q == QoS.AT_LEAST_ONCE) {
                    assertTrue(count >= 1, "kept session, QoS 1: at least once: " + context);
                } else {
                    assertEquals(1, count, "kept session, QoS 2: exactly once: " + context);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.2-5] [MQTT-4.3.2-1] [MQTT-4.3.3-2] [MQTT-4.4.0-1] v5 [MQTT-3.1.2-5] [MQTT-4.4.0-1] the QoS x clean-session table holds for every combination")
    void everyCombination(ProtocolVersion v) {
        int scenarios = 0;
        for (QoS published : QoS.values()) {
            for (QoS subscribed : QoS.values()) {
                for (boolean clean : new boolean[] {true, false}) {
                    for (Presence presence : Presence.values()) {
                        int breaks = presence == Presence.RECONNECTING ? 3 : 1;
                        for (int breakAt = 0; breakAt < breaks; breakAt++) {
                            for (boolean answerLost : new boolean[] {false, true}) {
                                String ctx = v + " pub " + published + " sub " + subscribed + " clean " + clean
                                        + " " + presence + " break@" + breakAt + " answerLost " + answerLost;
                                int n = deliveries(v, published, subscribed, clean, presence, breakAt, answerLost);
                                checkTable(published.min(subscribed), clean, presence, n, ctx);
                                scenarios++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(9 * 2 * (2 + 2 + 6), scenarios);
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.8.4-6] v5 [MQTT-3.8.4-8] property: random combinations obey the table")
    void propertyOverCombinations() {
        qt().withExamples(300).forAll(integers().between(0, 8), booleans().all(), integers().between(0, 2),
                        integers().between(0, 5))
                .checkAssert((qos, clean, presence, drop) -> {
                    QoS published = QoS.of(qos / 3);
                    QoS subscribed = QoS.of(qos % 3);
                    Presence p = Presence.values()[presence];
                    ProtocolVersion v = drop % 2 == 0 ? Packets.V3 : Packets.V5;
                    int breakAt = drop / 2;
                    int n = deliveries(v, published, subscribed, clean, p, breakAt, drop % 3 == 0);
                    checkTable(published.min(subscribed), clean, p, n,
                            v + " " + published + "/" + subscribed + " clean " + clean + " " + p + " " + drop);
                });
    }
}
