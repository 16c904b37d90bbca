package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ListenerSettings;
import io.checkedmqtt.broker.MqttBroker;
import io.checkedmqtt.broker.tls.TestPki;
import io.checkedmqtt.core.config.BrokerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Test fixture: an in-process broker on 127.0.0.1 and a free port, plus Paho clients that are
 * all disconnected and closed at the end. Quiet unless -Dbroker.log=true (connections) or -Dbroker.verbose=true (packets).
 */
final class TestBroker implements AutoCloseable {

    final MqttBroker broker;
    final String uri;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private int clientCounter;
    /** The test CA and certificates of the TLS listeners; null unless started withTransports(). */
    private TestPki pki;
    private Path pkiDirectory;

    TestBroker() throws IOException {
        this(config -> config);
    }

    TestBroker(UnaryOperator<BrokerSettings.Builder> settings) throws IOException {
        BrokerSettings.Builder builder = BrokerSettings.builder().port(0).bindAddress("127.0.0.1")
                .logConnections(Boolean.getBoolean("broker.log")).verbose(Boolean.getBoolean("broker.verbose"));
        broker = MqttBroker.start(settings.apply(builder).build());
        uri = "tcp://127.0.0.1:" + broker.port();
    }

    /**
     * A broker with a listener of every transport on free ports: MQTT over TCP, over TLS, over
     * WebSocket at /mqtt and over secure WebSocket at /mqtt, the TLS ones with a fresh test CA.
     */
    static TestBroker withTransports() throws Exception {
        return withTransports(settings -> settings);
    }

    static TestBroker withTransports(UnaryOperator<BrokerSettings.Builder> more) throws Exception {
        return withTransports((settings, pki) -> more.apply(settings));
    }

    /** As {@link #withTransports()}, with more settings that may use the test CA. */
    static TestBroker withTransports(BiFunction<BrokerSettings.Builder, TestPki, BrokerSettings.Builder> more)
            throws Exception {
        Path directory = Files.createTempDirectory("checked-mqtt-test-ca");
        TestPki pki = new TestPki(directory);
        TestBroker broker = new TestBroker(settings -> more.apply(settings
                .listener(ListenerSettings.mqtt(0, pki.serverSettings()))
                .listener(ListenerSettings.websockets(0, null))
                .listener(ListenerSettings.websockets(0, pki.serverSettings())), pki));
        broker.pki = pki;
        broker.pkiDirectory = directory;
        return broker;
    }

    TestPki pki() {
        if (pki == null) {
            throw new IllegalStateException("this test broker has no TLS listener: start it withTransports()");
        }
        return pki;
    }

    static BrokerConfig core(int inflight, long resendMillis) {
        return BrokerConfig.builder().maxInflightMessages(inflight).resendIntervalMillis(resendMillis).build();
    }

    synchronized String nextId(String prefix) {
        return prefix + "-" + (++clientCounter);
    }

    synchronized <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>(clients);
        }
        for (AutoCloseable client : all) {
            try {
                client.close();
            } catch (Exception ignored) {
                // already disconnected or closed by the test
            }
        }
        broker.close();
        if (pkiDirectory != null) {
            try (java.util.stream.Stream<Path> files = Files.list(pkiDirectory)) {
                files.forEach(file -> file.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory: the system cleans it up in the end
            }
            pkiDirectory.toFile().delete();
        }
    }
}
