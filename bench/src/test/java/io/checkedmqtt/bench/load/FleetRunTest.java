package io.checkedmqtt.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.MqttBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code fleet} scenario against a real broker (embedded here): a small fleet passes, and a
 * broker that cannot take the whole fleet is caught. The C100K-sized run is {@link FleetSoakTest}.
 */
class FleetRunTest {

    @Test
    @DisplayName("40 clients (3.1.1 and 5.0 alternating) subscribe, all get the one QoS 1 message once, all close cleanly")
    void smallFleetPasses() throws Exception {
        try (MqttBroker broker = MqttBroker.start(settings(1_000))) {
            final Run run = fleet(broker.port(), 40);
            assertEquals(0, run.status, run.output);
            assertTrue(run.output.contains(" subscribed=40 "), run.output);
            assertTrue(run.output.contains(" received=40 "), run.output);
            assertTrue(run.output.contains(" closed_clean=40 "), run.output);
            assertTrue(run.output.contains(" errors=0"), run.output);
        }
    }

    @Test
    @DisplayName("a broker that holds only 25 sockets fails the run: the refused clients are counted, not skipped")
    void aBrokerThatCannotHoldTheFleetFails() throws Exception {
        try (MqttBroker broker = MqttBroker.start(settings(25))) {
            final Run run = fleet(broker.port(), 40);
            assertEquals(2, run.status, run.output);
            assertTrue(!run.output.contains(" subscribed=40 "), run.output);
        }
    }

    private static BrokerSettings settings(final int maxSockets) {
        return BrokerSettings.builder().port(0).maxConnections(maxSockets).logConnections(false).build();
    }

    private record Run(int status, String output) {
    }

    private static Run fleet(final int port, final int clients) throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final Options options = Options.parse(List.of("fleet", "-n", Integer.toString(clients), "--port",
                Integer.toString(port), "--hold", "0.2", "--drain", "10", "--setup-timeout", "20", "--quiet"));
        final int status = new FleetRun(options, out, out).run();
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }
}
