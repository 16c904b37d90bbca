package io.checkedmqtt.model;

import io.checkedmqtt.testkit.TestedCore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mutation check of the checks (issue 20), under {@code -Pmutants}: every {@link BrokenCore.Fault}
 * against the seeded model test, the trace validation at the build's default trace count (both
 * protocol versions), the build's directed traces alone ({@link DirectedTraces}) and TLC on the
 * spec's broken variant of the same rule. Prints the table and writes it to
 * {@code target/mutants/mutation-table.md}; fails if any mutant escapes the random traces in either
 * version, or the directed traces that target it.
 *
 * <pre>
 * mvn -B -ntp test -pl model-tests -am -Pmutants -Dtest=MutationTableTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * {@code -Dmutants.seed=N} sets the first seed of the trace batches (default 1), {@code -Dmutants.batches=N}
 * checks N batches of consecutive seeds per mutant and version (default 1), {@code -Dmodel.traces=N}
 * the traces per batch (default: the build's 60), {@code -Dmutants.exposureTraces=N} the traces
 * over which the share exposing each mutant is measured (default 1000; no TLC run).
 */
@Tag("mutants")
class MutationTableTest {

    static final Path OUT = Path.of("target", "mutants");
    static final int MODEL_SEQUENCES = 3_000;
    static final long MODEL_BASE = 42;

    /** The spec's negative check of the same wrong rule ({@code tla/models.tsv}), or none. */
    static final Map<BrokenCore.Fault, String> SPEC_VARIANTS = new EnumMap<>(Map.of(
            BrokenCore.Fault.QOS2_NO_DEDUP, "MC_BrokenDedup",
            BrokenCore.Fault.NO_RESEND_ON_RECONNECT, "MC_BrokenReconnectResend",
            BrokenCore.Fault.QOS_NOT_DOWNGRADED, "MC_BrokenDeliveredQos",
            BrokenCore.Fault.RESEND_REVERSE_ORDER, "MC_BrokenResendOrder",
            BrokenCore.Fault.QUEUED_BEFORE_RESENDS, "MC_BrokenResendsFirst",
            BrokenCore.Fault.PUBREL_NOT_ANSWERED, "MC_BrokenPubrel"));

    record Row(BrokenCore.Fault fault, MutantChecks.ModelCatch model, List<MutantChecks.TraceCatch> traces,
               List<MutantChecks.DirectedCatch> directed, List<MutantChecks.Exposure> exposure,
               MutantChecks.SpecCatch spec) {
    }

    @Test
    @DisplayName("v3.1.1 + v5 every core mutant is caught by the trace validation at the build's default trace count")
    void mutationTable() throws Exception {
        int count = TraceValidationTest.tracesPerVersion();
        long base = Long.getLong("mutants.seed", 1);
        int batches = Integer.getInteger("mutants.batches", 1);
        int exposureTraces = Integer.getInteger("mutants.exposureTraces", 1_000);
        recordingMatchesTheBuild(base);
        long started = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        for (BrokenCore.Fault fault : BrokenCore.Fault.values()) {
            MutantChecks.ModelCatch model = MutantChecks.model(fault, MODEL_SEQUENCES, MODEL_BASE);
            List<MutantChecks.TraceCatch> traces = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                long from = base + b * 100_000L;
                for (boolean v5 : new boolean[] {false, true}) {
                    Path dir = OUT.resolve(fault.name().toLowerCase() + (v5 ? "-v5-" : "-v311-") + b);
                    traces.add(MutantChecks.traces(fault, v5, count, from, dir));
                }
            }
            List<MutantChecks.DirectedCatch> directed = new ArrayList<>();
            for (boolean v5 : new boolean[] {false, true}) {
                directed.add(MutantChecks.directed(fault, v5,
                        OUT.resolve(fault.name().toLowerCase() + (v5 ? "-v5-directed" : "-v311-directed"))));
            }
            List<MutantChecks.Exposure> exposure = List.of(MutantChecks.exposure(fault, false, exposureTraces),
                    MutantChecks.exposure(fault, true, exposureTraces));
            MutantChecks.SpecCatch spec = MutantChecks.spec(SPEC_VARIANTS.get(fault),
                    OUT.resolve("spec-" + fault.name().toLowerCase()));
            Row row = new Row(fault, model, traces, directed, exposure, spec);
            System.out.println("[mutants] " + fault + ": model " + model.cell() + "; traces " + traces.stream()
                    .map(MutantChecks.TraceCatch::cell).toList() + "; directed " + directed.stream()
                    .map(MutantChecks.DirectedCatch::cell).toList() + "; TLC " + spec.cell());
            rows.add(row);
        }
        String table = table(rows, count, base, batches, (System.nanoTime() - started) / 1e9);
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("mutation-table.md"), table);
        System.out.println(table);
        for (Row r : rows) {
            for (MutantChecks.TraceCatch t : r.traces()) {
                assertTrue(t.caught(), r.fault() + " escaped the trace validation of " + count + " traces ("
                        + (t.v5() ? "5.0" : "3.1.1") + ")");
            }
            for (MutantChecks.DirectedCatch d : r.directed()) {
                boolean targeted = java.util.Arrays.stream(DirectedTraces.Script.values())
                        .anyMatch(script -> script.targets.contains(r.fault()));
                assertTrue(!targeted || d.caught(), r.fault() + " escaped the directed traces that target it ("
                        + (d.v5() ? "5.0" : "3.1.1") + ")");
            }
            if (r.spec().config() != null) {
                assertTrue(r.spec().caught(), "TLC accepted the spec's variant " + r.spec().config());
            }
        }
    }

    /** The recording runner records, for the real core, exactly the traces the build's TraceValidationTest checks. */
    private static void recordingMatchesTheBuild(long base) {
        for (boolean v5 : new boolean[] {false, true}) {
            TraceBatch build = TraceBatch.ofRealCore(v5, 5, base);
            for (int i = 0; i < build.traces.size(); i++) {
                assertEquals(build.traces.get(i), TraceBatch.record(v5, build.seeds.get(i), TestedCore::of),
                        "seed " + build.seeds.get(i));
            }
        }
    }

    private static String table(List<Row> rows, int count, long base, int batches, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append("| mutant | model test (").append(MODEL_SEQUENCES).append(" sequences from seed ").append(MODEL_BASE)
                .append(") | trace validation 3.1.1 | trace validation 5.0 | exposed per trace 3.1.1 / 5.0 |")
                .append(" directed traces 3.1.1 | directed traces 5.0 | TLC, the spec's variant |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| `").append(r.fault()).append("` | ").append(r.model().cell()).append(" | ");
            for (boolean v5 : new boolean[] {false, true}) {
                b.append(String.join("<br>", r.traces().stream().filter(t -> t.v5() == v5)
                        .map(MutantChecks.TraceCatch::cell).toList())).append(" | ");
            }
            b.append(String.join("<br>", r.exposure().stream().map(e -> e.cell(count)).toList())).append(" | ");
            for (MutantChecks.DirectedCatch d : r.directed()) {
                b.append(d.cell()).append(" | ");
            }
            b.append(r.spec().cell()).append(" |\n");
        }
        b.append(String.format("%n%d traces per version and batch (the build's default), %d batch(es) from seed %d;"
                + " exposure over %d traces per version from seed 1000000000; %.0f s in all.%n", count, batches, base,
                rows.get(0).exposure().get(0).traces(), seconds));
        return b.toString();
    }
}
