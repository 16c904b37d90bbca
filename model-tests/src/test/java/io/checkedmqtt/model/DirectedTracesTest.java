package io.checkedmqtt.model;

import io.checkedmqtt.testkit.TestedCore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The directed traces ({@link DirectedTraces}) do what they are in the build for: on the real
 * core each reaches its situation and TLC accepts it; on each broken core a script targets, that
 * script's trace alone is rejected, in both versions. These are the mutants that random traces
 * expose least often (the mutation table in {@code tla/README.md}).
 */
class DirectedTracesTest {

    static final Path OUT = Path.of("target", "traces", "directed");

    private static String version(boolean v5) {
        return v5 ? "v5" : "v311";
    }

    @ParameterizedTest(name = "v5 = {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("v3.1.1 + v5 [MQTT-4.4.0-1, MQTT-4.6.0-6 / MQTT-4.6.0-5, MQTT-3.1.2-6 / MQTT-3.1.2-4] the directed runs of the core reach their situations and are behaviours of Mqtt.tla (TLC)")
    void realCoreReachesEachSituationAndPasses(boolean v5) throws Exception {
        TraceBatch batch = new TraceBatch().withDirected(v5);
        List<String> reconnect = afterResume(batch.traces.get(0), "c1");
        assertEquals(v5 ? List.of("ReconnectResend(c1, 1)", "ReconnectResend(c1, 2)")
                        : List.of("ReconnectResend(c1, 1)", "ReconnectResend(c1, 2)", "ServerSendsPublish(c1, m3, 3)"),
                reconnect,
                "a QoS 2 PUBREL and a QoS 1 PUBLISH resent in send order, new sends (3.1.1) after them");
        assertEquals(v5 ? List.of("ReconnectResend(c1, 2)", "ServerSendsPublish(c1, m3, 3)")
                        : List.of("ReconnectResend(c1, 2)", "ServerSendsPublish(c1, m3, 3)",
                        "ServerSendsPublish(c1, m4, 4)"),
                afterResume(batch.traces.get(1), "c1"), "one resend with room in the window, then the queue");
        assertEquals(List.of("ServerSendsPublish(c1, m1, 1)", "ServerSendsPublish(c1, m2, 2)"),
                afterResume(batch.traces.get(2), "c1"), "the queue drained at the reconnect");
        List<String> cleanStart = batch.traces.get(3).stream().map(Object::toString).toList();
        int at = cleanStart.indexOf("ClientConnect(c2, true, false) Session Present false");
        assertTrue(at > 0 && cleanStart.subList(0, at).contains("ServerReceivesPublish(c2, m1, 2, 1)")
                        && !cleanStart.subList(0, at).contains("ServerReceivesPubrel(c2, 1)")
                        && cleanStart.subList(at, cleanStart.size()).contains("ServerReceivesPublish(c2, m2, 2, 1)")
                        && cleanStart.contains("ServerSendsPublish(c1, m2, 2)"),
                "a Clean Start while m1's identifier awaits PUBREL, the identifier reused: " + cleanStart);
        List<String> resend = batch.traces.get(4).stream().map(Object::toString).toList();
        int resumed = resend.indexOf("ClientConnect(c2, false, true) Session Present true");
        assertTrue(resumed > 0 && resend.subList(resumed, resend.size()).contains("ServerReceivesPublish(c2, m1, 2, 1)")
                        && batch.traces.get(4).stream().filter(e -> e.action().equals("ServerSendsPublish")
                        && e.client().equals("c1") && e.message().equals("m1")).count() == 1,
                "c2 resends m1 after resuming, and c1 is sent m1 once: " + resend);

        Path dir = OUT.resolve("real-" + version(v5));
        TraceModule.write(dir, batch.traces, v5);
        Tlc.Verdict verdict = Tlc.check(dir, TraceModule.NAME);
        assertTrue(verdict.passed(), "a directed trace of the core is not a behaviour of the spec:\n"
                + batch.describeRejection(verdict));
    }

    /** What the server sends right after the resuming CONNECT of {@code c}, the last one in the trace. */
    private static List<String> afterResume(List<SpecTrace.Event> trace, String c) {
        int at = -1;
        for (int i = 0; i < trace.size(); i++) {
            SpecTrace.Event e = trace.get(i);
            if (e.action().equals("ClientConnect") && e.client().equals(c) && e.sessionPresent()) {
                at = i;
            }
        }
        assertTrue(at >= 0, "the trace has a resume of " + c + ": " + trace);
        List<String> sent = new ArrayList<>();
        for (int i = at + 1; i < trace.size() && List.of("ReconnectResend", "ServerSendsPublish")
                .contains(trace.get(i).action()); i++) {
            sent.add(trace.get(i).toString());
        }
        return sent;
    }

    static Stream<Arguments> targets() {
        List<Arguments> all = new ArrayList<>();
        for (DirectedTraces.Script script : DirectedTraces.Script.values()) {
            for (BrokenCore.Fault fault : script.targets) {
                for (boolean v5 : new boolean[] {false, true}) {
                    all.add(Arguments.of(script, fault, v5));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} rejects {1}, v5 = {2}")
    @MethodSource("targets")
    @DisplayName("v3.1.1 + v5 TLC rejects each directed trace on the broken cores it targets")
    void eachDirectedTraceRejectsItsTargets(DirectedTraces.Script script, BrokenCore.Fault fault, boolean v5)
            throws Exception {
        List<SpecTrace.Event> broken = DirectedTraces.record(script, v5,
                config -> new BrokenCore(TestedCore.of(config), fault), false);
        assertNotEquals(DirectedTraces.record(script, v5, TestedCore::of, true), broken,
                "the fault changes the directed run");
        TraceBatch batch = new TraceBatch();
        batch.add(broken, script + " on " + fault);
        Path dir = OUT.resolve(script.name().toLowerCase() + "-" + fault.name().toLowerCase() + "-" + version(v5));
        TraceModule.write(dir, batch.traces, v5);
        Tlc.Verdict verdict = Tlc.check(dir, TraceModule.NAME);
        assertFalse(verdict.passed(), "TLC accepted " + script + " on " + fault);
        assertEquals(1, verdict.trace(), "TLC named the trace:\n" + verdict.output());
        System.out.println("[directed] " + version(v5) + " " + script + " rejects " + fault + " by "
                + MutantChecks.check(verdict.error()) + ": " + batch.describeRejection(verdict));
    }
}
