package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.Main;
import io.checkedmqtt.broker.hostile.HostileBroker;
import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker as a separate process, as `java -jar` runs it: SIGTERM stops it gracefully with exit code 0. */
class JarProcessTest {

    @Test
    @DisplayName("SIGTERM: a 5.0 client gets DISCONNECT 0x8B, the process logs the disconnect and exits 0")
    void sigtermIsGraceful() throws Exception {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path logFile = Files.createTempFile("checked-mqtt-broker", ".log");
        Process process = new ProcessBuilder(javaBinary, "-cp", HostileBroker.classPathOf(Main.class, BrokerCore.class),
                Main.class.getName(), "--port", "0").redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        try {
            int port = -1;
            Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            long end = System.nanoTime() + 10_000_000_000L;
            while (port < 0 && System.nanoTime() < end) {
                Matcher m = listening.matcher(Files.readString(logFile));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(20);
                }
            }
            assertTrue(port > 0, "the broker printed its port");
            try (RawClient client = new RawClient(port)) {
                client.handshake(ProtocolVersion.MQTT_5, "sigterm");
                process.destroy();   // SIGTERM on Linux
                assertEquals(List.of(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN)), client.awaitClose(5_000));
            }
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the process ended");
            assertEquals(0, process.exitValue());
            String log = Files.readString(logFile);
            assertTrue(log.contains("disconnect conn-1") && log.contains("client 'sigterm'"), log);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(logFile);
        }
    }
}
