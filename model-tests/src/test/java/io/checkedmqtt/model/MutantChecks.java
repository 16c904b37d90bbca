package io.checkedmqtt.model;

import io.checkedmqtt.testkit.TestedCore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of the mutation table, each run against one {@link BrokenCore.Fault}: the seeded
 * model test, the trace validation exactly as the build runs it (the default number of traces
 * per version, each of at least {@link TraceBatch#MIN_EVENTS} events, settling phase included,
 * from consecutive seeds), and TLC on the spec's own broken variant of the same rule, where
 * {@code tla/models.tsv} has one.
 */
final class MutantChecks {

    /** What the model test found: the first failing seed, the invariant, the shrunk length; or nothing. */
    record ModelCatch(int sequences, long seed, String invariant, int actions, int shrunk) {
        boolean caught() {
            return invariant != null;
        }

        String cell() {
            return caught() ? "**" + invariant + "** (seed " + seed + ", " + actions + " → " + shrunk + " actions)"
                    : "not caught in " + sequences + " sequences";
        }
    }

    /** What TLC said about one version's batch of traces of the broken core. */
    record TraceCatch(boolean v5, int traces, int exposed, boolean caught, String check, long seed, int trace,
                      String event, double seconds) {
        String cell() {
            return caught ? "**" + check + "** (trace " + trace + ", seed " + seed + ": " + event + "); " + exposed
                    + "/" + traces + " exposed" : "NOT caught; " + exposed + "/" + traces + " exposed";
        }
    }

    /** What TLC said about one version's directed traces ({@link DirectedTraces}) of the broken core. */
    record DirectedCatch(boolean v5, List<String> exposedBy, boolean caught, String check, String script,
                         String event) {
        String cell() {
            if (exposedBy.isEmpty()) {
                return "not exposed";
            }
            return (caught ? "**" + check + "** (" + script + ": " + event + ")" : "NOT caught") + "; exposed by "
                    + String.join(", ", exposedBy);
        }
    }

    /** How often a trace exposes the fault, measured over many traces, and the chance that a batch misses it. */
    record Exposure(boolean v5, int traces, int exposed) {
        /** The probability that none of {@code batch} traces exposes the fault. */
        double missed(int batch) {
            return Math.pow(1 - exposed / (double) traces, batch);
        }

        String cell(int batch) {
            return String.format("%.1f %% (P(%d miss) = %.1g)", 100.0 * exposed / traces, batch, missed(batch));
        }
    }

    /** TLC on the spec's broken variant of the same rule. */
    record SpecCatch(String config, boolean caught, String error, double seconds) {
        String cell() {
            if (config == null) {
                return "no variant";
            }
            return (caught ? "**" + error + "**" : "NOT caught") + " (`" + config + "`)";
        }
    }

    private static final Pattern INVARIANT = Pattern.compile("Invariant (\\w+) is violated");

    private MutantChecks() {
    }

    /** Sequences of the model scenario from {@code base}, until the reference model rejects one; shrunk. */
    static ModelCatch model(BrokenCore.Fault fault, int maxSequences, long base) {
        ActionRunner runner = new ActionRunner(Scenario.model(), config -> new BrokenCore(TestedCore.of(config), fault));
        for (int i = 0; i < maxSequences; i++) {
            ActionRunner.Outcome o = runner.run(base + i);
            if (o.failed()) {
                ActionRunner.Outcome small = runner.shrink(o);
                String kind = small.violation() != null ? small.kind() : "crash " + small.crash();
                return new ModelCatch(i + 1, o.seed(), kind, o.actions().size(), small.actions().size());
            }
        }
        return new ModelCatch(maxSequences, 0, null, 0, 0);
    }

    /**
     * The build's trace validation with the broken core in the real core's place: {@code count}
     * traces of consecutive seeds from {@code base}, one TLC run. A trace is exposed if the real
     * core's run of the same seed records other events (or other states).
     */
    static TraceCatch traces(BrokenCore.Fault fault, boolean v5, int count, long base, Path dir)
            throws IOException, InterruptedException {
        TraceBatch batch = new TraceBatch();
        int exposed = 0;
        for (long seed = base; batch.traces.size() < count; seed++) {
            batch.runs++;
            List<SpecTrace.Event> broken = TraceBatch.record(v5, seed, c -> new BrokenCore(TestedCore.of(c), fault));
            if (broken.size() >= TraceBatch.MIN_EVENTS) {
                batch.add(broken, seed);
                if (!broken.equals(TraceBatch.record(v5, seed, TestedCore::of))) {
                    exposed++;
                }
            }
        }
        long started = System.nanoTime();
        TraceModule.write(dir, batch.traces, v5);
        Tlc.Verdict v = Tlc.check(dir, TraceModule.NAME);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (v.passed()) {
            return new TraceCatch(v5, count, exposed, false, null, 0, 0, null, seconds);
        }
        String check = check(v.error());
        String event = "?";
        long seed = 0;
        if (v.trace() >= 1 && v.trace() <= batch.traces.size()) {
            List<SpecTrace.Event> trace = batch.traces.get(v.trace() - 1);
            seed = batch.seeds.get(v.trace() - 1);
            event = where(check, v, trace);
        }
        return new TraceCatch(v5, count, exposed, true, check, seed, v.trace(), event, seconds);
    }

    /**
     * The build's directed traces with the broken core in the real core's place, all in one TLC
     * run: whether TLC rejects them, and which scripts the fault changes at all.
     */
    static DirectedCatch directed(BrokenCore.Fault fault, boolean v5, Path dir) throws IOException, InterruptedException {
        TraceBatch batch = new TraceBatch();
        List<String> exposedBy = new java.util.ArrayList<>();
        for (DirectedTraces.Script script : DirectedTraces.Script.values()) {
            List<SpecTrace.Event> broken = DirectedTraces.record(script, v5,
                    c -> new BrokenCore(TestedCore.of(c), fault), false);
            batch.add(broken, script.name());
            if (!broken.equals(DirectedTraces.record(script, v5, TestedCore::of, true))) {
                exposedBy.add(script.name());
            }
        }
        TraceModule.write(dir, batch.traces, v5);
        Tlc.Verdict v = Tlc.check(dir, TraceModule.NAME);
        if (v.passed() || v.trace() < 1 || v.trace() > batch.traces.size()) {
            return new DirectedCatch(v5, exposedBy, !v.passed(), v.passed() ? null : check(v.error()), "?", "?");
        }
        String check = check(v.error());
        return new DirectedCatch(v5, exposedBy, true, check, DirectedTraces.Script.values()[v.trace() - 1].name(),
                where(check, v, batch.traces.get(v.trace() - 1)));
    }

    /** The event TLC stopped at: a deadlock names the first event no action matches; an invariant, the last matched. */
    private static String where(String check, Tlc.Verdict v, List<SpecTrace.Event> trace) {
        int at = check.startsWith("deadlock") ? v.matched() : v.matched() - 1;
        return at >= 0 && at < trace.size() ? "event " + (at + 1) + " of " + trace.size() + ", " + trace.get(at)
                : "after event " + v.matched() + " of " + trace.size();
    }

    /**
     * The share of traces (of at least {@link TraceBatch#MIN_EVENTS} events, from seeds far from
     * the batches') in which the fault changes the recorded events or states. No check can catch a
     * fault in a trace it does not change, so this bounds what any number of traces can find.
     */
    static Exposure exposure(BrokenCore.Fault fault, boolean v5, int traces) {
        int counted = 0;
        int exposed = 0;
        for (long seed = 1_000_000_000L; counted < traces; seed++) {
            List<SpecTrace.Event> broken = TraceBatch.record(v5, seed, c -> new BrokenCore(TestedCore.of(c), fault));
            if (broken.size() >= TraceBatch.MIN_EVENTS) {
                counted++;
                exposed += broken.equals(TraceBatch.record(v5, seed, TestedCore::of)) ? 0 : 1;
            }
        }
        return new Exposure(v5, counted, exposed);
    }

    /** The check that failed, from TLC's error line. */
    static String check(String error) {
        if (error == null) {
            return "TLC failed";
        }
        Matcher m = INVARIANT.matcher(error);
        if (m.find()) {
            return m.group(1);
        }
        return error.startsWith("Deadlock") ? "deadlock (no spec action)" : error;
    }

    /** TLC on {@code tla/<config>.cfg} (module MCMqtt), which must violate the property it names. */
    static SpecCatch spec(String config, Path dir) throws IOException, InterruptedException {
        if (config == null) {
            return new SpecCatch(null, false, null, 0);
        }
        Files.createDirectories(dir);
        Files.copy(Tlc.specDir().resolve("MCMqtt.tla"), dir.resolve("MCMqtt.tla"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Tlc.specDir().resolve(config + ".cfg"), dir.resolve("MCMqtt.cfg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long started = System.nanoTime();
        Tlc.Verdict v = Tlc.check(dir, "MCMqtt");
        double seconds = (System.nanoTime() - started) / 1e9;
        String error = v.error() == null ? null
                : v.error().contains("Temporal properties were violated")
                ? propertyOf(Files.readString(dir.resolve("MCMqtt.cfg"))) : check(v.error());
        return new SpecCatch(config, !v.passed(), error, seconds);
    }

    /** The temporal property a negative check names after PROPERTIES: the one TLC found violated. */
    private static String propertyOf(String cfg) {
        Matcher m = Pattern.compile("PROPERT(?:Y|IES)\\s+(\\w+)").matcher(cfg);
        return m.find() ? m.group(1) + " (liveness)" : "a temporal property";
    }
}
