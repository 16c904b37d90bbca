package io.checkedmqtt.broker;

import io.checkedmqtt.broker.clienttest.ClientTestConfig;
import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.model.BrokerTraceCheck;
import io.checkedmqtt.testkit.ProtocolVersions;
import io.checkedmqtt.testkit.TestedCore;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trace action {@code WireDuplicate} (tla/TraceMqtt.tla) stands for exactly the copy a fault
 * rule wrote: a 3.1.1 broker whose rule sends a subscriber's QoS 1 PUBLISH twice records a run TLC
 * accepts; the same records without the {@code WireDuplicate} event are rejected (the spec's
 * client could not have answered a copy it never got); a core never told of the copy does not
 * quarantine its identifier, and the state mapping rejects its run; a 5.0 broker under the same
 * rule breaks [MQTT-4.4.0-1] (no resend inside a connection), and TLC rejects its run at the copy.
 */
class WireDuplicateTraceTest {

    private static final String TOPIC = "model/t";

    /** One recorded run: the records, the clients' names in the trace, and the broker's settings. */
    private record Recorded(Path dir, Path file, String records, List<BrokerTraceCheck.Run> runs,
                            BrokerSettings settings) {
        BrokerTraceCheck.Verdict check(Path records, boolean v5, String name) throws Exception {
            return BrokerTraceCheck.check(records, runs, v5, settings.core(), dir.resolve(name));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-4.3.2-1] a QoS 1 copy written by a fault rule is a behaviour of the spec only if recorded; v5 [MQTT-4.4.0-1] it is rejected")
    void duplicatedPublishIsTraced(ProtocolVersion version) throws Exception {
        String label = version.isV5() ? "v5" : "v311";
        Recorded run = run(version, label, true);
        BrokerTraceCheck.Verdict recorded = run.check(run.file(), version.isV5(), "recorded");
        if (version.isV5()) {
            assertNotNull(recorded.rejection(), "TLC accepted a 5.0 resend inside a connection");
            assertTrue(recorded.rejection().contains("WireDuplicate(s, 1)   <-- first event"), recorded.rejection());
            System.out.println("[trace] 5.0 broker duplicating a PUBLISH rejected as expected: " + recorded.rejection());
            return;
        }
        assertNull(recorded.rejection(), () -> "the recorded run must pass: " + recorded.rejection());
        Path hidden = run.dir().resolve("without-copy.txt");
        Files.writeString(hidden, run.records().lines().filter(line -> !line.startsWith("E\tWireDuplicate\t"))
                .collect(Collectors.joining("\n", "", "\n")));
        BrokerTraceCheck.Verdict unrecorded = run.check(hidden, false, "without-copy");
        assertNotNull(unrecorded.rejection(), "TLC accepted an answer to a copy the spec's client never got");
        System.out.println("[trace] 3.1.1 copy left out of the records rejected as expected: " + unrecorded.rejection());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-2] a core never told of a fault rule's copy keeps its identifier free, and the state mapping rejects the run")
    void coreThatMissesTheCopyIsRejected() throws Exception {
        Recorded run = run(ProtocolVersion.MQTT_3_1_1, "deaf", false);
        BrokerTraceCheck.Verdict verdict = run.check(run.file(), false, "recorded");
        assertNotNull(verdict.rejection(), "TLC accepted a core that did not quarantine the copied identifier");
        assertTrue(verdict.rejection().contains("Invariant StateMapped is violated") && verdict.rejection()
                .contains("WireDuplicate(s, 1)   <-- the state after this event breaks it"), verdict.rejection());
        System.out.println("[trace] 3.1.1 core deaf to the copy rejected as expected: " + verdict.rejection());
    }

    /**
     * A subscriber at QoS 1, whose first PUBLISH a fault rule sends twice, and a publisher of two
     * QoS 1 messages; {@code hears}: the core is told of the copy, as the broker's own core is.
     */
    private static Recorded run(ProtocolVersion version, String label, boolean hears) throws Exception {
        Path dir = Path.of("target", "traces", "broker-duplicate-" + label).toAbsolutePath();
        Path file = dir.resolve("spec-trace.txt");
        ClientTestConfig testing = new ClientTestConfig(ClientTestSettings.NONE);
        testing.apply("trace_clients", "*");
        testing.apply("fault", "duplicate PUBLISH out sub-* qos 1 count 1");
        BrokerSettings settings = BrokerSettings.builder().port(0).sysIntervalSeconds(0).logConnections(false)
                .specTrace(file).clientTesting(testing.settings()).build();
        TestedCore core = TestedCore.of(settings.core());
        Map<String, String> clients = new LinkedHashMap<>();
        long settledAt;
        try (MqttBroker broker = MqttBroker.start(settings, Clock.system(),
                hears ? new TestedCoreDriver(core) : TestedCoreDriver.deafToWireFaults(core),
                new PrintStream(System.out, true, StandardCharsets.UTF_8))) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            try (TestClient s = BrokenBrokerTraceTest.client(version, uri, "sub-" + label);
                 TestClient p = BrokenBrokerTraceTest.client(version, uri, "pub-" + label)) {
                clients.put(s.clientId(), "s");
                clients.put(p.clientId(), "p");
                s.connect(true, false);
                s.subscribe(TOPIC, 1);
                p.connect(true, false);
                p.publish(TOPIC, "m1", 1);
                p.publish(TOPIC, "m2", 1);
                // QoS 1 may arrive twice: Paho hands the copy on too
                List<String> got = new ArrayList<>();
                for (Received r = s.next(); r != null; r = got.contains("m2") ? null : s.next()) {
                    got.add(r.payload());
                }
                assertTrue(got.contains("m2"), "the subscriber got both: " + got);
                assertEquals("m1", got.get(0), "in order: " + got);
                Thread.sleep(300);  // let the answers to the copy arrive
                settledAt = Files.size(file);
            }
        }
        String records = Files.readString(file);
        assertTrue(records.contains("E\tWireDuplicate\t"), "the rule acted and the broker recorded it:\n" + records);
        return new Recorded(dir, file, records, List.of(new BrokerTraceCheck.Run(clients, settledAt, 0)), settings);
    }
}
