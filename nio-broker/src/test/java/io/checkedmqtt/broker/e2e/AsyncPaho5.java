package io.checkedmqtt.broker.e2e;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;

/** {@link AsyncPaho} on Paho mqttv5 1.2.5 (MQTT 5.0). */
final class AsyncPaho5 extends AsyncPahoBase {

    /** Paho's reason code for "Connection lost". */
    private static final int CONNECTION_LOST = 32109;

    private final MqttAsyncClient paho;

    AsyncPaho5(String uri, String clientId) throws Exception {
        super(clientId);
        this.paho = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        paho.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                lostConnection();
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived(topic, message.getPayload(), message.getQos(), message.isRetained(), message.isDuplicate(),
                        message.getId());
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
    public void connect(boolean clean) throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(clean);
        o.setSessionExpiryInterval(clean ? 0L : 300L);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(60);
        o.setSocketFactory(sockets);
        forgetLosses();
        try {
            paho.connect(o).waitForCompletion(10_000);
        } catch (MqttException e) {
            if (e.getReasonCode() != CONNECTION_LOST) {
                throw e;
            }
            // Paho 5.0 told us the last connection was lost before its sender thread let go of the
            // socket; a connect that early fails on the old socket (seen on the loaded machine)
            Thread.sleep(200);
            paho.connect(o).waitForCompletion(10_000);
        }
    }

    @Override
    public void subscribe(String filter, int qos, long millis) throws Exception {
        paho.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}).waitForCompletion(millis);
    }

    @Override
    public Delivery publish(String topic, String payload, int qos) throws Exception {
        IMqttToken token = paho.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
        return millis -> {
            try {
                token.waitForCompletion(millis);
            } catch (MqttException e) {
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
                paho.disconnectForcibly(0, 500, false);
            }
        } finally {
            paho.close(true);
        }
    }
}
