package io.checkedmqtt.model.paho;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Eclipse Paho mqttv3 (MQTT 3.1.1), with a socket the test can cut. */
final class Paho3Client implements PahoClient {

    private final MqttClient paho;
    private final String id;
    private final CuttableSockets sockets = new CuttableSockets();
    private final List<Delivery> deliveries = new ArrayList<>();

    Paho3Client(String uri, String id) throws Exception {
        this.id = id;
        this.paho = new MqttClient(uri, id, new MemoryPersistence());
        // Paho 1.2.5 now and then never completes a connect after a cut: fail after a while, do not hang
        paho.setTimeToWait(20_000);
        paho.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                synchronized (deliveries) {
                    deliveries.add(new Delivery(new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.getQos()));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    @Override
    public String id() {
        return id;
    }

    /** 3.1.1 has one flag: CleanSession = 1 starts clean and ends the session with the connection. */
    @Override
    public void connect(boolean clean, boolean keepSession) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(60);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setSocketFactory(sockets);
        o.setMaxInflight(100);
        paho.connect(o);
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        paho.subscribe(filter, qos);
    }

    @Override
    public void unsubscribe(String filter) throws Exception {
        paho.unsubscribe(filter);
    }

    @Override
    public void publish(String topic, String message, int qos) throws Exception {
        paho.publish(topic, message.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    @Override
    public void disconnect() throws Exception {
        paho.disconnect(2_000);
    }

    @Override
    public void cut() throws Exception {
        sockets.cut();
        for (int i = 0; i < 200 && paho.isConnected(); i++) {
            Thread.sleep(5);
        }
    }

    @Override
    public boolean isConnected() {
        return paho.isConnected();
    }

    @Override
    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (paho.isConnected()) {
                paho.disconnectForcibly(0, 100);
            }
        } finally {
            paho.close(true);
        }
    }
}
