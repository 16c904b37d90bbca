package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.HttpSettings;
import io.checkedmqtt.broker.MqttBroker;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A broker with the HTTP listener on a free port, the JDK's {@link HttpClient} to ask it, and Paho
 * clients (3.1.1 and 5.0) that are disconnected and closed at the end.
 */
final class ObservedBroker implements AutoCloseable {

    final MqttBroker broker;
    final String mqttUri;
    final String httpBase;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> clients = new ArrayList<>();

    ObservedBroker() throws IOException {
        this(settings -> settings);
    }

    /** {@code more} may change anything; by default $SYS is off, so counts are the test's own. */
    ObservedBroker(UnaryOperator<BrokerSettings.Builder> more) throws IOException {
        BrokerSettings.Builder settings = BrokerSettings.builder().port(0).logConnections(Boolean.getBoolean("broker.log"))
                .http(HttpSettings.on(0)).sysIntervalSeconds(0);
        broker = MqttBroker.start(more.apply(settings).build());
        mqttUri = "tcp://127.0.0.1:" + broker.port();
        httpBase = "http://127.0.0.1:" + broker.port("http");
    }

    int httpPort() {
        return broker.port("http");
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(httpBase + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code path}, which must answer 200, as parsed JSON. */
    Map<String, Object> json(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JsonReader.object(response.body());
    }

    org.eclipse.paho.client.mqttv3.MqttClient v3(String clientId, boolean cleanSession) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient client =
                new org.eclipse.paho.client.mqttv3.MqttClient(mqttUri, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        // Paho 1.2.5 completes a QoS 1 publish before it counts it out of flight, so back-to-back
        // publishes on a loaded machine can meet its default limit of 10 ("Too many publishes in progress")
        options.setMaxInflight(1000);
        client.connect(options);
        closeAtEnd(client::isConnected, client::disconnect, client::close);
        return client;
    }

    org.eclipse.paho.mqttv5.client.MqttClient v5(String clientId, long sessionExpiry) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(mqttUri,
                clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(sessionExpiry == 0);
        options.setSessionExpiryInterval(sessionExpiry);
        options.setAutomaticReconnect(false);
        client.connect(options);
        closeAtEnd(client::isConnected, client::disconnect, client::close);
        return client;
    }

    /** At the end: disconnected if still connected, then closed. */
    private void closeAtEnd(BooleanSupplier connected, AutoCloseable disconnect, AutoCloseable close) {
        track(() -> {
            if (connected.getAsBoolean()) {
                disconnect.close();
            }
            close.close();
        });
    }

    synchronized void track(AutoCloseable client) {
        clients.add(client);
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
                // already disconnected, or disconnected by the test through the API
            }
        }
        broker.close();
    }
}
