package io.checkedmqtt.broker.e2e;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;

/** {@link AsyncPaho} on Paho mqttv3 1.2.5 (MQTT 3.1.1). */
final class AsyncPaho3 extends AsyncPahoBase {

    private final MqttAsyncClient paho;

    AsyncPaho3(String uri, String clientId) throws Exception {
        super(clientId);
        this.paho = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        paho.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lostConnection();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived(topic, message.getPayload(), message.getQos(), message.isRetained(), message.isDuplicate(),
                        message.getId());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    @Override
    public void connect(boolean clean) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(60);
        o.setMaxInflight(100);
        o.setSocketFactory(sockets);
        forgetLosses();
        paho.connect(o).waitForCompletion(10_000);
    }

    @Override
    public void subscribe(String filter, int qos, long millis) throws Exception {
        paho.subscribe(filter, qos).waitForCompletion(millis);
    }

    @Override
    public Delivery publish(String topic, String payload, int qos) throws Exception {
        IMqttDeliveryToken token = paho.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
        return millis -> {
            try {
                token.waitForCompletion(millis);
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                return false;
            }
            return token.isComplete() && token.getException() == null;
        };
    }

    @Override
    public boolean isConnected() {
        return paho.isConnected();
    }

    @Override
    public void close() throws Exception {
        try {
            if (paho.isConnected()) {
                paho.disconnectForcibly(0, 500);
            }
        } finally {
            paho.close(true);
        }
    }
}
