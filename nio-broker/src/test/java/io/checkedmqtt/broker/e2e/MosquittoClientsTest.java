package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.ListenerSettings;
import io.checkedmqtt.broker.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real third-party clients over TLS: Eclipse Mosquitto's {@code mosquitto_pub} and
 * {@code mosquitto_sub} (OpenSSL underneath), checking the broker's certificate against the test
 * CA with {@code --cafile}, and presenting a client certificate where the listener requires one.
 * {@code .ci/run} installs Debian's {@code mosquitto-clients}; without them these tests skip.
 */
class MosquittoClientsTest {

    private static TestBroker broker;
    private static int requireCertificatePort;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(onPath("mosquitto_sub") && onPath("mosquitto_pub"),
                "mosquitto_pub/mosquitto_sub are not installed (Debian package mosquitto-clients; .ci/run installs it)");
        // every transport, plus a TLS listener that wants a client certificate from the test CA
        broker = TestBroker.withTransports((settings, pki) -> settings.listener(
                ListenerSettings.mqtt(0, pki.serverSettings().withCaFile(pki.caFile, true))));
        requireCertificatePort = broker.broker.ports("mqtts").get(1);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a mosquitto client to its end (at most 20 s); returns its exit code and output. */
    private static String[] run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not end: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new String[] {String.valueOf(process.exitValue()), output};
    }

    private static List<String> tls(String program, int port, String... more) {
        TestPki pki = broker.pki();
        List<String> command = new ArrayList<>(List.of(program, "-h", "localhost", "-p", String.valueOf(port),
                "--cafile", pki.caFile.toString()));
        command.addAll(List.of(more));
        return command;
    }

    @Test
    @DisplayName("mosquitto_pub and mosquitto_sub over TLS, the broker's certificate checked with --cafile (3.1.1 and 5.0)")
    void overTls() throws Exception {
        int port = Transports.TLS.port(broker);
        for (String version : new String[] {"mqttv311", "mqttv5"}) {
            String topic = "mosquitto/" + version;
            String[] pub = run(tls("mosquitto_pub", port, "-V", version, "-t", topic, "-m", "hello " + version, "-q", "1", "-r"));
            assertEquals("0", pub[0], pub[1]);
            String[] sub = run(tls("mosquitto_sub", port, "-V", version, "-t", topic, "-C", "1", "-W", "10", "-q", "1"));
            assertEquals("0", sub[0], sub[1]);
            assertEquals("hello " + version, sub[1]);
        }
    }

    @Test
    @DisplayName("require_certificate: mosquitto_sub with a client certificate from the CA gets in, without one it does not")
    void clientCertificate() throws Exception {
        TestPki pki = broker.pki();
        String[] pub = run(tls("mosquitto_pub", requireCertificatePort, "--cert", pki.clientCert.toString(),
                "--key", pki.clientKey.toString(), "-t", "certified", "-m", "signed", "-q", "1", "-r"));
        assertEquals("0", pub[0], pub[1]);
        String[] sub = run(tls("mosquitto_sub", requireCertificatePort, "--cert", pki.clientCert.toString(),
                "--key", pki.clientKey.toString(), "-t", "certified", "-C", "1", "-W", "10"));
        assertEquals("signed", sub[1]);
        String[] refused = run(tls("mosquitto_pub", requireCertificatePort, "-t", "certified", "-m", "x"));
        assertNotEquals("0", refused[0], "no client certificate: " + refused[1]);
    }

    @Test
    @DisplayName("mosquitto_pub refuses the broker when given another CA: the certificate check is real")
    void wrongCa() throws Exception {
        Path other = Files.createTempDirectory("other-ca");
        TestPki stranger = new TestPki(other);
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "localhost", "-p",
                String.valueOf(Transports.TLS.port(broker)), "--cafile", stranger.caFile.toString(), "-t", "t", "-m", "x"));
        String[] refused = run(command);
        assertNotEquals("0", refused[0], refused[1]);
        try (var files = Files.list(other)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.delete(other);
    }
}
