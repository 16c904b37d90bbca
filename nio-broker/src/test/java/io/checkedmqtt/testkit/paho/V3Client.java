package io.checkedmqtt.testkit.paho;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * A Paho MQTT 3.1.1 client whose received messages land in a queue the test reads. The callback
 * is set before connecting, so messages a kept session delivers right after CONNACK are caught
 * too. The same instance can connect again and keeps Paho's in-memory session state. Its plain
 * TCP sockets come from a {@link CuttableSockets}, so a test can {@link #cut()} the connection.
 */
public final class V3Client extends PahoClient {

    public final MqttClient paho;
    private volatile CountDownLatch lost = new CountDownLatch(1);

    public V3Client(String uri, String clientId) throws MqttException {
        this(uri, clientId, null);
    }

    /** For ssl:// and wss:// URIs, {@code secure} is a factory that trusts the test CA; null for tcp:// and ws://. */
    public V3Client(String uri, String clientId, SocketFactory secure) throws MqttException {
        super(clientId, secure);
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
                arrived(topic, message.getPayload(), message.getQos(), message.isRetained(), message.isDuplicate(),
                        message.getId());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    public static MqttConnectOptions options(boolean cleanSession) {
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

    /** 3.1.1 has one flag: CleanSession = 1 starts clean and ends the session with the connection. */
    @Override
    public V3Client connect(boolean cleanSession, boolean keepSession) throws MqttException {
        return connect(options(cleanSession));
    }

    /** Connects with these options; plain TCP goes through this client's cuttable sockets. */
    public V3Client connect(MqttConnectOptions options) throws MqttException {
        options.setSocketFactory(socketFactory(options.getSocketFactory()));
        lost = new CountDownLatch(1);
        paho.connect(options);
        return this;
    }

    @Override
    public V3Client subscribe(String filter, int qos) throws MqttException {
        paho.subscribe(filter, qos);
        return this;
    }

    @Override
    public void unsubscribe(String filter) throws MqttException {
        paho.unsubscribe(filter);
    }

    @Override
    public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        message.setRetained(retained);
        paho.publish(topic, message);
    }

    /** Whether Paho reported the connection lost within 5 s. */
    public boolean awaitLost() throws InterruptedException {
        return lost.await(5, TimeUnit.SECONDS);
    }

    @Override
    void disconnect(long quiesceMillis) throws MqttException {
        paho.disconnect(quiesceMillis);
    }

    @Override
    public boolean isConnected() {
        return paho.isConnected();
    }

    @Override
    void release() throws MqttException {
        paho.close(true);
    }
}
