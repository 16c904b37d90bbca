package io.checkedmqtt.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trace validation: runs of the Java core, recorded as spec-level events, must be behaviours of
 * {@code tla/Mqtt.tla}, and TLC checks it. Each version's traces go into one generated
 * module and one TLC run. {@code -Dmodel.traces=N} sets the random traces per version (the
 * {@code model-long} profile runs thousands); the {@link DirectedTraces} join them in every
 * build. The broken cores must be rejected.
 */
class TraceValidationTest {

    static final Path OUT = Path.of("target", "traces");
    static final int TRACES_PER_TLC_RUN = 100;

    static int tracesPerVersion() {
        return Integer.getInteger("model.traces", 60);
    }

    static long baseSeed() {
        String s = System.getProperty("model.seed");
        return s == null || s.isBlank() ? new SplittableRandom().nextLong() : Long.parseLong(s);
    }

    private static void requireSpec() {
        assertTrue(Files.isRegularFile(Tlc.specDir().resolve("TraceMqtt.tla")),
                "the trace spec is missing: " + Tlc.specDir().resolve("TraceMqtt.tla")
                        + " (set -Dmodel.tla.dir to the directory of Mqtt.tla and TraceMqtt.tla)");
    }

    private static void validate(boolean v5) throws Exception {
        requireSpec();
        long base = baseSeed();
        long started = System.nanoTime();
        TraceBatch batch = TraceBatch.ofRealCore(v5, tracesPerVersion(), base);
        int random = batch.traces.size();
        batch.withDirected(v5);
        long tlcStarted = System.nanoTime();
        long states = 0;
        int runs = 0;
        // One TLC run per chunk: one module with thousands of traces is more than TLC's parser wants.
        for (int from = 0; from < batch.traces.size(); from += TRACES_PER_TLC_RUN, runs++) {
            TraceBatch part = batch.slice(from, Math.min(batch.traces.size(), from + TRACES_PER_TLC_RUN));
            Path dir = OUT.resolve((v5 ? "core-v5" : "core-v311") + "-" + runs);
            TraceModule.write(dir, part.traces, v5);
            Tlc.Verdict verdict = Tlc.check(dir, TraceModule.NAME);
            assertTrue(verdict.passed(), "a trace of the core is not a behaviour of the spec (base seed " + base
                    + ", module " + dir + ")\n" + part.describeRejection(verdict));
            states += verdict.states();
        }
        double tlcSeconds = (System.nanoTime() - tlcStarted) / 1e9;
        int shortest = batch.traces.subList(0, random).stream().mapToInt(java.util.List::size).min().orElse(0);
        int longest = batch.traces.stream().mapToInt(java.util.List::size).max().orElse(0);
        System.out.printf("[trace] %s: TLC validated %d traces (%d random from %d runs, %d..%d events, and %d directed;"
                        + " %d events in all) in %d TLC runs, %.1f s (%.1f s total), %d distinct states: %.0f traces/min"
                        + " (base seed %d)%n",
                v5 ? "5.0" : "3.1.1", batch.traces.size(), random, batch.runs, shortest, longest,
                batch.traces.size() - random, batch.events(), runs, tlcSeconds, (System.nanoTime() - started) / 1e9,
                states, batch.traces.size() / tlcSeconds * 60, base);
        assertEquals(tracesPerVersion(), random);
        assertEquals(DirectedTraces.Script.values().length, batch.traces.size() - random);
        assertTrue(shortest >= TraceBatch.MIN_EVENTS);
        assertTrue(states > batch.events(), "TLC explored the traces");
    }

    @Test
    @DisplayName("v3.1.1 traces of the core are behaviours of Mqtt.tla (TLC)")
    void coreTracesV311() throws Exception {
        validate(false);
    }

    @Test
    @DisplayName("v5 traces of the core are behaviours of Mqtt.tla (TLC)")
    void coreTracesV5() throws Exception {
        validate(true);
    }

    @ParameterizedTest
    @EnumSource(BrokenCore.Fault.class)
    @DisplayName("v3.1.1 [MQTT-4.3.3-2, MQTT-3.8.4-6] TLC rejects traces of a broken core and names the first bad step")
    void brokenCoreTracesAreRejected(BrokenCore.Fault fault) throws Exception {
        requireSpec();
        TraceBatch batch = TraceBatch.ofBrokenCore(false, fault, 10, 5_000);
        assertFalse(batch.traces.isEmpty(), fault + " never changed what the core did in 5000 runs");
        Path dir = OUT.resolve("broken-" + fault.name().toLowerCase());
        TraceModule.write(dir, batch.traces, false);
        Tlc.Verdict verdict = Tlc.check(dir, TraceModule.NAME);
        assertFalse(verdict.passed(), "TLC accepted " + batch.traces.size() + " traces of " + fault);
        assertTrue(verdict.trace() >= 1, "TLC named the rejected trace:\n" + verdict.output());
        System.out.println("[trace] " + fault + " rejected as expected: " + batch.describeRejection(verdict));
    }
}
