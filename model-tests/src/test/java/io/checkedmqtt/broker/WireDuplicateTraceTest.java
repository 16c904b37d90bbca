package io.checkedmqtt.broker;

import io.checkedmqtt.broker.clienttest.ClientTestConfig;
import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.model.BrokerTraceCheck;
import io.checkedmqtt.testkit.ProtocolVersions;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
 * accepts, and the same records without the {@code WireDuplicate} event are rejected (the spec's
 * client could not have answered a copy it never got); a 5.0 broker under the same rule breaks
 * [MQTT-4.4.0-1] (no resend inside a connection), and TLC rejects its run at the copy.
 */
class WireDuplicateTraceTest {

    private static final String TOPIC = "model/t";

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-4.3.2-1] a QoS 1 copy written by a fault rule is a behaviour of the spec only if recorded; v5 [MQTT-4.4.0-1] it is rejected")
    void duplicatedPublishIsTraced(ProtocolVersion version) throws Exception {
        String label = version.isV5() ? "v5" : "v311";
        Path dir = Path.of("target", "traces", "broker-duplicate-" + label).toAbsolutePath();
        Path file = dir.resolve("spec-trace.txt");
        ClientTestConfig testing = new ClientTestConfig(ClientTestSettings.NONE);
        testing.apply("trace_clients", "*");
        testing.apply("fault", "duplicate PUBLISH out sub-* qos 1 count 1");
        BrokerSettings settings = BrokerSettings.builder().port(0).sysIntervalSeconds(0).logConnections(false)
                .specTrace(file).clientTesting(testing.settings()).build();
        Map<String, String> clients = new LinkedHashMap<>();
        long settledAt;
        try (MqttBroker broker = MqttBroker.start(settings)) {
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
                assertEquals("m2", got.get(got.size() - 1), "in order: " + got);
                Thread.sleep(300);  // let the answers to the copy arrive
                settledAt = Files.size(file);
            }
        }
        String records = Files.readString(file);
        assertTrue(records.contains("E\tWireDuplicate\t"), "the rule acted and the broker recorded it:\n" + records);
        List<BrokerTraceCheck.Run> runs = List.of(new BrokerTraceCheck.Run(clients, settledAt, 0));
        BrokerTraceCheck.Verdict recorded = BrokerTraceCheck.check(file, runs, version.isV5(), settings.core(),
                dir.resolve("recorded"));
        if (version.isV5()) {
            assertNotNull(recorded.rejection(), "TLC accepted a 5.0 resend inside a connection");
            assertTrue(recorded.rejection().contains("WireDuplicate(s, 1)   <-- first event"), recorded.rejection());
            System.out.println("[trace] 5.0 broker duplicating a PUBLISH rejected as expected: " + recorded.rejection());
            return;
        }
        assertNull(recorded.rejection(), () -> "the recorded run must pass: " + recorded.rejection());
        Path hidden = dir.resolve("without-copy.txt");
        Files.writeString(hidden, records.lines().filter(line -> !line.startsWith("E\tWireDuplicate\t"))
                .collect(Collectors.joining("\n", "", "\n")));
        BrokerTraceCheck.Verdict unrecorded = BrokerTraceCheck.check(hidden, runs, false, settings.core(),
                dir.resolve("without-copy"));
        assertNotNull(unrecorded.rejection(), "TLC accepted an answer to a copy the spec's client never got");
        System.out.println("[trace] 3.1.1 copy left out of the records rejected as expected: " + unrecorded.rejection());
    }
}
