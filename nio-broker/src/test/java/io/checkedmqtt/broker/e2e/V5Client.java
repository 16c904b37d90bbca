package io.checkedmqtt.broker.e2e;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Paho MQTT 5.0 client whose received messages and disconnects land in queues the test reads. */
final class V5Client implements TestClient {

    final MqttClient paho;
    final String clientId;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();
    final BlockingQueue<MqttMessage> rawMessages = new LinkedBlockingQueue<>();

    /** For ssl:// and wss:// URIs: a factory that trusts the test CA; null for tcp:// and ws://. */
    private final javax.net.SocketFactory socketFactory;

    V5Client(String uri, String clientId) throws MqttException {
        this(uri, clientId, null);
    }

    V5Client(String uri, String clientId, javax.net.SocketFactory socketFactory) throws MqttException {
        this.socketFactory = socketFactory;
        this.clientId = clientId;
        this.paho = new MqttClient(uri, clientId, new MemoryPersistence());
        // Paho 1.2.5 now and then never completes a connect after a cut: fail after a while, do not hang
        paho.setTimeToWait(20_000);
        paho.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnects.add(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                rawMessages.add(message);
                received.add(Received.of(topic, message.getPayload(), message.getQos(), message.isRetained(),
                        message.isDuplicate(), message.getId()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
    }

    /** Clean Start as given; a kept session lives {@code sessionExpirySeconds} after disconnect. */
    static MqttConnectionOptions options(boolean cleanStart, long sessionExpirySeconds) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpirySeconds);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(60);
        return options;
    }

    /** 3.1.1's clean session in 5.0 terms: Clean Start, and a session that outlives the connection only when not clean. */
    @Override
    public V5Client connect(boolean clean) throws MqttException {
        return connect(clean, clean ? 0 : 300);
    }

    V5Client connect(boolean cleanStart, long sessionExpirySeconds) throws MqttException {
        return connect(options(cleanStart, sessionExpirySeconds));
    }

    V5Client connect(MqttConnectionOptions options) throws MqttException {
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        paho.connect(options);
        return this;
    }

    @Override
    public V5Client subscribe(String filter, int qos) throws MqttException {
        paho.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
        return this;
    }

    @Override
    public void publish(String topic, String payload, int qos) throws MqttException {
        publish(topic, payload, qos, false);
    }

    @Override
    public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        paho.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    @Override
    public Received next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    @Override
    public Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    MqttDisconnectResponse awaitDisconnect() throws InterruptedException {
        return disconnects.poll(5, TimeUnit.SECONDS);
    }

    @Override
    public boolean isConnected() {
        return paho.isConnected();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void close() throws MqttException {
        try {
            if (paho.isConnected()) {
                paho.disconnect(1_000);
            }
        } finally {
            paho.close(true);
        }
    }
}
