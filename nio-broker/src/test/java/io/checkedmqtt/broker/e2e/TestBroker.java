package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.MqttBroker;
import io.checkedmqtt.core.config.BrokerConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

    TestBroker() throws IOException {
        this(config -> config);
    }

    TestBroker(UnaryOperator<BrokerSettings.Builder> settings) throws IOException {
        BrokerSettings.Builder builder = BrokerSettings.builder().port(0).bindAddress("127.0.0.1")
                .logConnections(Boolean.getBoolean("broker.log")).verbose(Boolean.getBoolean("broker.verbose"));
        broker = MqttBroker.start(settings.apply(builder).build());
        uri = "tcp://127.0.0.1:" + broker.port();
    }

    static BrokerConfig core(int inflight, long resendMillis) {
        return BrokerConfig.builder().maxInflightMessages(inflight).resendIntervalMillis(resendMillis).build();
    }

    String nextId(String prefix) {
        return prefix + "-" + (++clientCounter);
    }

    <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // already disconnected or closed by the test
            }
        }
        broker.close();
    }
}
