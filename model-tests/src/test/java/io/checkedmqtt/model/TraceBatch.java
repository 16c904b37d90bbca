package io.checkedmqtt.model;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.testkit.TestedCore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs the core on spec-shaped action sequences and keeps each run's spec-level trace. */
final class TraceBatch {

    static final int MIN_EVENTS = 20;

    final List<List<SpecTrace.Event>> traces = new ArrayList<>();
    /** The seed of each trace; null for a directed one. */
    final List<Long> seeds = new ArrayList<>();
    /** Where each trace comes from, for messages: "seed N" or "directed SCRIPT". */
    final List<String> origins = new ArrayList<>();
    int runs;

    /** Add the trace of the run from {@code seed}. */
    void add(List<SpecTrace.Event> trace, long seed) {
        traces.add(trace);
        seeds.add(seed);
        origins.add("seed " + seed);
    }

    /** Add the trace of a directed run ({@code what}: the script, and the core if not the real one). */
    void add(List<SpecTrace.Event> trace, String what) {
        traces.add(trace);
        seeds.add(null);
        origins.add("directed " + what);
    }

    /**
     * Add the directed traces ({@link DirectedTraces}) of the real core, checked by the reference
     * model as they run: every build's batch has them beside the random ones.
     */
    TraceBatch withDirected(boolean v5) {
        for (DirectedTraces.Script script : DirectedTraces.Script.values()) {
            add(DirectedTraces.record(script, v5, TestedCore::of, true), script.name());
        }
        return this;
    }

    /**
     * Collect {@code count} traces of at least 20 events from runs of the real core, checked by
     * the reference model as they go. Each trace is the whole run, its settling phase included,
     * so that TLC can require quiescence at its end.
     */
    static TraceBatch ofRealCore(boolean v5, int count, long baseSeed) {
        TraceBatch batch = new TraceBatch();
        List<SpecTrace> recorder = new ArrayList<>(1);
        ActionRunner runner = new ActionRunner(Scenario.spec(v5), TestedCore::of, world -> {
            recorder.clear();
            recorder.add(new SpecTrace(world));
            return List.of(recorder.get(0));
        }, true);
        for (long seed = baseSeed; batch.traces.size() < count; seed++) {
            batch.runs++;
            ActionRunner.Outcome o = runner.run(seed);
            if (o.failed()) {
                throw new AssertionError("the reference model rejected a run while recording traces: "
                        + runner.shrink(o).describe());
            }
            List<SpecTrace.Event> events = recorder.get(0).events();
            if (events.size() >= MIN_EVENTS) {
                batch.add(events, seed);
            }
        }
        return batch;
    }

    /**
     * Traces of a broken core in which the fault is visible: the same seed run on the real core
     * records different events. (A fault that changed nothing observable, say a repeated QoS 2
     * PUBLISH routed again to no subscriber, is a trace the spec rightly accepts.)
     */
    static TraceBatch ofBrokenCore(boolean v5, BrokenCore.Fault fault, int count, int maxRuns) {
        TraceBatch batch = new TraceBatch();
        for (long seed = 1; batch.traces.size() < count && batch.runs < maxRuns; seed++) {
            batch.runs++;
            List<SpecTrace.Event> broken = record(v5, seed, config -> new BrokenCore(TestedCore.of(config), fault));
            List<SpecTrace.Event> real = record(v5, seed, TestedCore::of);
            if (!broken.equals(real)) {
                batch.add(broken, seed);
            }
        }
        return batch;
    }

    /** The spec-level events of one run, settling phase included, unchecked by the model. */
    static List<SpecTrace.Event> record(boolean v5, long seed, Function<BrokerConfig, TestedCore> cores) {
        List<SpecTrace> recorder = new ArrayList<>(1);
        ActionRunner runner = ActionRunner.recording(Scenario.spec(v5), cores, world -> {
            recorder.add(new SpecTrace(world));
            return List.of(recorder.get(0));
        });
        runner.run(seed);
        return recorder.get(0).events();
    }

    /** Traces {@code from} (inclusive) to {@code to} (exclusive), with their seeds. */
    TraceBatch slice(int from, int to) {
        TraceBatch part = new TraceBatch();
        part.traces.addAll(traces.subList(from, to));
        part.seeds.addAll(seeds.subList(from, to));
        part.origins.addAll(origins.subList(from, to));
        return part;
    }

    int events() {
        return traces.stream().mapToInt(List::size).sum();
    }

    /**
     * The rejected event and the ones before it, for the failure message: for a deadlock, the
     * first event no spec action allows; for an invariant, the last event matched, whose state
     * broke it.
     */
    String describeRejection(Tlc.Verdict v) {
        if (v.trace() < 1 || v.trace() > traces.size()) {
            return "TLC: " + v.error() + "\n" + v.output();
        }
        List<SpecTrace.Event> trace = traces.get(v.trace() - 1);
        boolean invariant = v.error() != null && v.error().startsWith("Invariant");
        int marked = invariant ? v.matched() - 1 : v.matched();
        StringBuilder b = new StringBuilder("TLC: " + v.error() + "\ntrace " + v.trace() + " ("
                + origins.get(v.trace() - 1) + "), the spec follows its first " + v.matched() + " of " + trace.size()
                + " events");
        for (int i = Math.max(0, marked - 6); i < Math.min(trace.size(), marked + 1); i++) {
            b.append("\n  ").append(i + 1).append(". ").append(trace.get(i)).append(i != marked ? ""
                    : invariant ? "   <-- the state after this event breaks the invariant"
                    : "   <-- first event the spec does not allow");
        }
        if (v.matched() >= trace.size()) {
            b.append("\n  (all events matched: an invariant failed in the last state)");
        }
        return b.toString();
    }
}
