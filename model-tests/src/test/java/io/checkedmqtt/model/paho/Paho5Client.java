package io.checkedmqtt.model.paho;

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
import java.util.ArrayList;
import java.util.List;

/** Eclipse Paho mqttv5 (MQTT 5.0), with a socket the test can cut. */
final class Paho5Client implements PahoClient {

    private final MqttClient paho;
    private final String id;
    private final CuttableSockets sockets = new CuttableSockets();
    private final List<Delivery> deliveries = new ArrayList<>();

    Paho5Client(String uri, String id) throws Exception {
        this.id = id;
        this.paho = new MqttClient(uri, id, new MemoryPersistence());
        // Paho 1.2.5 now and then never completes a connect after a cut: fail after a while, do not hang
        paho.setTimeToWait(20_000);
        paho.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                synchronized (deliveries) {
                    deliveries.add(new Delivery(new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.getQos()));
                }
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

    @Override
    public String id() {
        return id;
    }

    /** 5.0: Clean Start, and Session Expiry Interval > 0 when the session is kept. */
    @Override
    public void connect(boolean clean, boolean keepSession) throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(clean);
        o.setSessionExpiryInterval(keepSession ? 3_600L : 0L);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(60);
        o.setSocketFactory(sockets);
        paho.connect(o);
    }

    @Override
    public void subscribe(String filter, int qos) throws Exception {
        paho.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
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
                paho.disconnectForcibly(0, 100, false);
            }
        } finally {
            paho.close(true);
        }
    }
}
