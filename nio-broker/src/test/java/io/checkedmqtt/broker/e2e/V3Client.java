package io.checkedmqtt.broker.e2e;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Paho MQTT 3.1.1 client whose received messages land in a queue the test reads. The callback
 * is set before connecting, so messages a kept session delivers right after CONNACK are caught
 * too. The same instance can connect again and keeps Paho's in-memory session state.
 */
final class V3Client implements TestClient {

    final MqttClient paho;
    final String clientId;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    volatile CountDownLatch lost = new CountDownLatch(1);

    /** For ssl:// and wss:// URIs: a factory that trusts the test CA; null for tcp:// and ws://. */
    private final javax.net.SocketFactory socketFactory;

    V3Client(String uri, String clientId) throws MqttException {
        this(uri, clientId, null);
    }

    V3Client(String uri, String clientId, javax.net.SocketFactory socketFactory) throws MqttException {
        this.socketFactory = socketFactory;
        this.clientId = clientId;
        this.paho = new MqttClient(uri, clientId, new MemoryPersistence());
        // Paho 1.2.5 now and then never completes a connect after a cut: fail after a while, do not hang
        paho.setTimeToWait(20_000);
        paho.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(Received.of(topic, message.getPayload(), message.getQos(), message.isRetained(),
                        message.isDuplicate(), message.getId()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(60);
        options.setMaxInflight(1_000);
        return options;
    }

    @Override
    public V3Client connect(boolean cleanSession) throws MqttException {
        return connect(options(cleanSession));
    }

    V3Client connect(MqttConnectOptions options) throws MqttException {
        lost = new CountDownLatch(1);
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        paho.connect(options);
        return this;
    }

    @Override
    public V3Client subscribe(String filter, int qos) throws MqttException {
        paho.subscribe(filter, qos);
        return this;
    }

    @Override
    public void publish(String topic, String payload, int qos) throws MqttException {
        publish(topic, payload, qos, false);
    }

    @Override
    public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        message.setRetained(retained);
        paho.publish(topic, message);
    }

    @Override
    public Received next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    @Override
    public Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    boolean awaitLost() throws InterruptedException {
        return lost.await(5, TimeUnit.SECONDS);
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
