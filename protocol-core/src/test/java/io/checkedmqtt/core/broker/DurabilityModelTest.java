package io.checkedmqtt.core.broker;

import io.checkedmqtt.testkit.SimClient;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.core.durable.Replay;
import io.checkedmqtt.core.effect.DurableRecord;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Persistence in the pure core, over the random action sequences of {@link SessionModelTest}
 * (connect, subscribe, publish QoS 0-2 with and without retain, acknowledge, lose an answer,
 * drop, disconnect, let time pass) with one more action: the broker crashes between two steps and
 * restarts from its durable records ({@link BrokerHarness#crash}).
 *
 * <p>After every action: <b>nothing forgotten</b>, replaying every record the core asked to make
 * durable gives the durable view of the live state, as if the broker stopped right then; and the
 * replay ignores no record. At the end: every QoS 1/2 message accepted for a kept session arrived,
 * QoS 2 exactly once, however many crashes came between [v3.1.1 MQTT-4.3.3-2, MQTT-4.4.0-1;
 * v5 MQTT-4.3.3-10, MQTT-4.4.0-1].
 */
class DurabilityModelTest {

    /** One action in this many is a crash. */
    private static final int CRASH_EVERY = 25;

    static void run(List<Integer> actions) {
        run(actions, r -> true, true);
    }

    /**
     * @param kept      which records persistence keeps (all, unless a test breaks it on purpose)
     * @param checkView whether to check "nothing forgotten" after every action (off: only the delivery check)
     */
    static void run(List<Integer> actions, Predicate<DurableRecord> kept, boolean checkView) {
        SessionModelTest.Model m = new SessionModelTest.Model(true);
        m.h.keepOnly(kept);
        try {
            for (int code : actions) {
                if (code % CRASH_EVERY == CRASH_EVERY - 1) {
                    m.log.add("crash");
                    crash(m);
                } else {
                    m.act(code);
                }
                m.checkInvariants();
                if (checkView) {
                    checkNothingForgotten(m.h);
                }
            }
            m.checkEventuallyDelivered();
            if (checkView) {
                checkNothingForgotten(m.h);
            }
        } catch (AssertionError e) {
            fail(e.getMessage() + "\nactions: " + m.log, e);
        }
    }

    static void crash(SessionModelTest.Model m) {
        m.h.crash();
        for (SimClient c : m.clients) {
            c.lose(m.h);
        }
        m.connectPublisher();
    }

    static void checkNothingForgotten(BrokerHarness h) {
        Replay replay = Replay.from(h.core().initialState(), h.now()).applyAll(h.durableLog());
        assertEquals(0, replay.ignored(), "records that do not fit the state they are replayed on");
        assertEquals(DurableView.of(h.state(), h.now()), DurableView.of(replay.state(), h.now()),
                "the durable records replay to the live state's durable view");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.3-2] [MQTT-4.4.0-1] v5 [MQTT-4.3.3-10] [MQTT-4.4.0-1] random sequences with crashes: the records replay to the live state after every step, and every accepted QoS 1/2 message arrives (QoS 2 once)")
    void randomSequencesWithCrashes() {
        qt().withExamples(400).withShrinkCycles(200)
                .forAll(lists().of(integers().between(0, 2_999)).ofSizeBetween(1, 80))
                .checkAssert(DurabilityModelTest::run);
    }

    /**
     * Connect all three, subscribe each QoS 2 to t/0, publish QoS 2 to t/0, the two kept clients
     * read it and answer PUBREC (the broker sends PUBREL), crash, reconnect both, read on, publish
     * again. Codes as in {@code SessionModelTest.Model.act}.
     */
    private static final List<Integer> MID_HANDSHAKE = List.of(0, 10, 20, 61, 71, 81, 62, 5, 15, 24, 0, 10, 5, 15, 5,
            15, 62, 5, 15);

    @Test
    @DisplayName("v5 [MQTT-4.3.3-10] a crash between PUBREC and PUBREL on both sides: nothing is handed on twice")
    void crashMidHandshake() {
        run(MID_HANDSHAKE);
    }

    @Test
    @DisplayName("broken persistence is caught: a log that forgets PUBRELs sent fails the replay check; one that forgets in-flight messages fails the delivery check on its own")
    void brokenPersistenceIsCaught() {
        AssertionError forgotRelease = assertThrows(AssertionError.class,
                () -> run(MID_HANDSHAKE, r -> !(r instanceof DurableRecord.Released), true));
        assertTrue(forgotRelease.getMessage().contains("replay"), forgotRelease.getMessage());
        AssertionError lostMessages = assertThrows(AssertionError.class,
                () -> run(MID_HANDSHAKE, r -> !(r instanceof DurableRecord.InFlight), false));
        assertTrue(lostMessages.getMessage().contains("never arrived") || lostMessages.getMessage().contains("QoS 2"),
                lostMessages.getMessage());
    }
}
