package io.checkedmqtt.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.model.BrokenCores;
import io.checkedmqtt.model.BrokerTraceCheck;
import io.checkedmqtt.testkit.ProtocolVersions;
import io.checkedmqtt.testkit.TestedCore;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import io.checkedmqtt.testkit.paho.V3Client;
import io.checkedmqtt.testkit.paho.V5Client;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trace validation of the running broker can fail: the broker started on model-tests' broken
 * core {@code WRONG_DOWNGRADE} (a QoS 2 copy goes out at QoS 1) records, through its
 * {@code spec_trace} setting, a run that TLC rejects at the copy sent at the wrong QoS; the same
 * Paho run on the real core is accepted, so the rejection is the fault's.
 */
class BrokenBrokerTraceTest {

    private static final String TOPIC = "model/t";

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.8.4-6] + v5 [MQTT-3.8.4-8] TLC rejects the recorded run of a broker whose core sends a QoS 2 copy at QoS 1, and accepts the same run of the real core")
    void brokenCoreOfTheRunningBrokerIsRejected(ProtocolVersion version) throws Exception {
        String label = version.isV5() ? "v5" : "v311";
        BrokerTraceCheck.Verdict real = run(version, "real-" + label, core -> core);
        assertNull(real.rejection(), () -> "the real core's run must pass: " + real.rejection());
        BrokerTraceCheck.Verdict broken = run(version, "broken-" + label,
                core -> BrokenCores.of("WRONG_DOWNGRADE", core));
        assertNotNull(broken.rejection(), "TLC accepted the run of a core that downgrades QoS 2 copies");
        assertTrue(broken.rejection().contains("ServerSendsPublish(s, m1, 1)   <-- first event the spec does not allow"),
                broken.rejection());
        System.out.println("[trace] broker on WRONG_DOWNGRADE (" + label + ") rejected as expected: "
                + broken.rejection());
    }

    /** A subscriber at QoS 2 and a publisher of one QoS 2 message, on a broker over {@code wrap(real core)}. */
    private static BrokerTraceCheck.Verdict run(ProtocolVersion version, String name, UnaryOperator<TestedCore> wrap)
            throws Exception {
        Path dir = Path.of("target", "traces", "broker-" + name).toAbsolutePath();
        Path file = dir.resolve("spec-trace.txt");
        BrokerSettings settings = BrokerSettings.builder().port(0).sysIntervalSeconds(0).logConnections(false)
                .specTrace(file).build();
        BrokerConfig config = settings.core();
        long settledAt;
        Map<String, String> clients = new LinkedHashMap<>();
        try (MqttBroker broker = MqttBroker.start(settings, Clock.system(),
                new TestedCoreDriver(wrap.apply(TestedCore.of(config))), new PrintStream(System.out, true,
                        StandardCharsets.UTF_8))) {
            String uri = "tcp://127.0.0.1:" + broker.port();
            try (TestClient s = client(version, uri, "sub-" + name); TestClient p = client(version, uri, "pub-" + name)) {
                clients.put(s.clientId(), "s");
                clients.put(p.clientId(), "p");
                s.connect(true, false);
                s.subscribe(TOPIC, 2);
                p.connect(true, false);
                p.publish(TOPIC, "m1", 2);
                Received got = s.next();
                assertNotNull(got, "the subscriber got nothing");
                assertEquals("m1", got.payload());
                Thread.sleep(300);  // let the last acknowledgements arrive
                settledAt = Files.size(file);
            }
        }
        return BrokerTraceCheck.check(file, List.of(new BrokerTraceCheck.Run(clients, settledAt, 0)),
                version.isV5(), config, dir);
    }

    /** A Paho client of {@code version} (also for {@code WireDuplicateTraceTest}). */
    static TestClient client(ProtocolVersion version, String uri, String id) throws Exception {
        return version.isV5() ? new V5Client(uri, id) : new V3Client(uri, id);
    }
}
