package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.durable.LogImage;
import io.checkedmqtt.core.durable.Replay;
import io.checkedmqtt.core.effect.DurableRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Recovery as a pure function, through bytes: random broker states (those random action
 * sequences of {@link SessionModelTest} reach, with sessions online and offline, queues, in-flight
 * messages at every stage, inbound QoS 2 identifiers, wills, retained messages) are written as a
 * snapshot, and the log of every step as frames; reading either back and replaying it gives the
 * same durable view.
 */
class SnapshotRoundTripTest {

    private static List<DurableRecord> readBack(List<List<DurableRecord>> batches) {
        ByteBuffer file = LogImage.write(batches);
        List<DurableRecord> out = new ArrayList<>();
        LogImage.read(file).forEach(out::addAll);
        return out;
    }

    static void check(List<Integer> actions) {
        SessionModelTest.Model m = new SessionModelTest.Model(true);
        for (int code : actions) {
            m.act(code);
        }
        BrokerState state = m.h.state();
        DurableView expected = DurableView.of(state, m.h.now());

        List<DurableRecord> snapshot = DurableChanges.between(m.h.core().initialState(), state);
        Replay fromSnapshot = Replay.from(m.h.core().initialState(), m.h.now()).applyAll(readBack(List.of(snapshot)));
        assertEquals(0, fromSnapshot.ignored());
        assertEquals(expected, DurableView.of(fromSnapshot.state(), m.h.now()), "snapshot, written and read");

        List<List<DurableRecord>> steps = new ArrayList<>();
        m.h.allEffects().stream().filter(e -> e instanceof io.checkedmqtt.core.effect.Effect.Persist)
                .forEach(e -> steps.add(((io.checkedmqtt.core.effect.Effect.Persist) e).records()));
        Replay fromLog = Replay.from(m.h.core().initialState(), m.h.now()).applyAll(readBack(steps));
        assertEquals(0, fromLog.ignored());
        assertEquals(expected, DurableView.of(fromLog.state(), m.h.now()), "log of every step, written and read");

        assertTrue(DurableChanges.between(state, state).isEmpty(), "a state has no changes since itself");
    }

    @Test
    @DisplayName("random broker states written as a snapshot, or as the log of their steps, replay to the same durable view")
    void randomStates() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 2_999)).ofSizeBetween(1, 80))
                .checkAssert(SnapshotRoundTripTest::check);
    }
}
