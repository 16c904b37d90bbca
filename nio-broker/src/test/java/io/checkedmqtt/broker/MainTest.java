package io.checkedmqtt.broker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("--help prints the usage and exits 0")
    void help() {
        assertEquals(0, run("--help"));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("--port") && usage.contains("--bind") && usage.contains("--config")
                && usage.contains("--verbose"), usage);
    }

    @Test
    @DisplayName("an unknown option exits 2 with the usage")
    void badOption() {
        assertEquals(2, run("--frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option '--frobnicate'"));
    }

    @Test
    @DisplayName("a port in use exits 1 with a clear message")
    void portInUse() throws Exception {
        try (MqttBroker other = MqttBroker.start(BrokerSettings.builder().port(0).logConnections(false).build())) {
            assertEquals(1, run("--port", String.valueOf(other.port())));
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains("cannot listen on 127.0.0.1:" + other.port()), message);
            assertTrue(message.contains("already in use") || message.contains("Address already in use"), message);
        }
    }

    @Test
    @DisplayName("a TLS listener whose key file is missing exits 1 naming the file")
    void missingKeyFile() throws Exception {
        Path config = Files.createTempFile("checked-mqtt", ".conf");
        try {
            Files.writeString(config, "listener 0\ncertfile /nonexistent/server.crt\nkeyfile /nonexistent/server.key\n");
            assertEquals(1, run("--config", config.toString()));
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains("cannot start") && message.contains("/nonexistent/server.crt"), message);
        } finally {
            Files.delete(config);
        }
    }

    @Test
    @DisplayName("a bad config file exits 1 naming the file and line")
    void badConfig() throws Exception {
        Path config = Files.createTempFile("checked-mqtt", ".conf");
        try {
            Files.writeString(config, "port 1883\nmax_inflight 3\n");
            assertEquals(1, run("--config", config.toString()));
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains(config + ":2: unknown setting 'max_inflight'"), message);
        } finally {
            Files.delete(config);
        }
    }
}
