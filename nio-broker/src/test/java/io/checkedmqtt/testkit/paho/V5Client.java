package io.checkedmqtt.testkit.paho;

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
import javax.net.SocketFactory;

/**
 * A Paho MQTT 5.0 client whose received messages and disconnects land in queues the test reads.
 * Its plain TCP sockets come from a {@link CuttableSockets}, so a test can {@link #cut()} the
 * connection.
 */
public final class V5Client extends PahoClient {

    public final MqttClient paho;
    public final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();
    public final BlockingQueue<MqttMessage> rawMessages = new LinkedBlockingQueue<>();

    public V5Client(String uri, String clientId) throws MqttException {
        this(uri, clientId, null);
    }

    /** For ssl:// and wss:// URIs, {@code secure} is a factory that trusts the test CA; null for tcp:// and ws://. */
    public V5Client(String uri, String clientId, SocketFactory secure) throws MqttException {
        super(clientId, secure);
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

    /** Clean Start as given; a kept session lives {@code sessionExpirySeconds} after disconnect. */
    public static MqttConnectionOptions options(boolean cleanStart, long sessionExpirySeconds) {
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
        return connect(clean, !clean);
    }

    /** Clean Start as given; a kept session lives 300 s after the connection, any other none. */
    @Override
    public V5Client connect(boolean cleanStart, boolean keepSession) throws MqttException {
        return connect(cleanStart, keepSession ? 300 : 0);
    }

    public V5Client connect(boolean cleanStart, long sessionExpirySeconds) throws MqttException {
        return connect(options(cleanStart, sessionExpirySeconds));
    }

    /** Connects with these options; plain TCP goes through this client's cuttable sockets. */
    public V5Client connect(MqttConnectionOptions options) throws MqttException {
        options.setSocketFactory(socketFactory(options.getSocketFactory()));
        paho.connect(options);
        return this;
    }

    @Override
    public V5Client subscribe(String filter, int qos) throws MqttException {
        paho.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
        return this;
    }

    @Override
    public void unsubscribe(String filter) throws MqttException {
        paho.unsubscribe(filter);
    }

    @Override
    public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        paho.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    /** The next DISCONNECT (or loss) Paho reported, or null after 5 s. */
    public MqttDisconnectResponse awaitDisconnect() throws InterruptedException {
        return disconnects.poll(5, TimeUnit.SECONDS);
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
