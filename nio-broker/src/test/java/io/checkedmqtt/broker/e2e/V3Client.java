package io.checkedmqtt.broker.e2e;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Paho MQTT 3.1.1 client whose received messages land in a queue the test reads. */
final class V3Client implements AutoCloseable {

    final MqttClient paho;
    final String clientId;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    V3Client(String uri, String clientId) throws MqttException {
        this.clientId = clientId;
        this.paho = new MqttClient(uri, clientId, new MemoryPersistence());
    }

    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(60);
        return options;
    }

    V3Client connect(boolean cleanSession) throws MqttException {
        return connect(options(cleanSession));
    }

    V3Client connect(MqttConnectOptions options) throws MqttException {
        paho.connect(options);
        return this;
    }

    V3Client subscribe(String filter, int qos) throws MqttException {
        paho.subscribe(filter, qos, (topic, message) -> received.add(Received.of(topic, message.getPayload(),
                message.getQos(), message.isRetained(), message.isDuplicate())));
        return this;
    }

    void publish(String topic, String payload, int qos) throws MqttException {
        publish(topic, payload, qos, false);
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        message.setRetained(retained);
        paho.publish(topic, message);
    }

    Received next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
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
