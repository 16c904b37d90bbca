package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.V3Client;
import io.checkedmqtt.testkit.paho.V5Client;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many Paho clients at once, half 3.1.1 and half 5.0, all connected together. Client i subscribes
 * to {@code many/i} (QoS 1) and {@code many/all} (QoS 0), publishes {@code perClient} QoS 1
 * messages to {@code many/(i+1)}, and client 0 broadcasts one QoS 1 message to {@code many/all}.
 * Every delivery is recorded as "receiver:payload", so loss and duplication both show.
 */
final class ManyClients {

    private final TestBroker broker;
    private final int count;
    private final int perClient;
    private final Set<String> deliveries = ConcurrentHashMap.newKeySet();
    private final List<Object> clients = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();

    ManyClients(TestBroker broker, int count, int perClient) {
        this.broker = broker;
        this.count = count;
        this.perClient = perClient;
    }

    private void record(int receiver, byte[] payload) {
        if (!deliveries.add(receiver + ":" + new String(payload, StandardCharsets.UTF_8))) {
            duplicates.incrementAndGet();
        }
    }

    /** Runs the exchange, checks every client got every message addressed to it, and returns the distinct deliveries. */
    int run() throws Exception {
        long start = System.nanoTime();
        List<Object> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int me = i;
            String id = "many-" + i;
            if (i % 2 == 0) {
                MqttAsyncClient c = new MqttAsyncClient(broker.uri, id, new MemoryPersistence());
                c.setCallback(new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        record(me, message.getPayload());
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {
                    }
                });
                MqttConnectOptions options = V3Client.options(true);
                options.setConnectionTimeout(60);
                clients.add(c);
                connecting.add(c.connect(options));
            } else {
                org.eclipse.paho.mqttv5.client.MqttAsyncClient c =
                        new org.eclipse.paho.mqttv5.client.MqttAsyncClient(broker.uri, id,
                                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
                c.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                    @Override
                    public void disconnected(MqttDisconnectResponse response) {
                    }

                    @Override
                    public void mqttErrorOccurred(MqttException exception) {
                    }

                    @Override
                    public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                        record(me, message.getPayload());
                    }

                    @Override
                    public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                    }

                    @Override
                    public void connectComplete(boolean reconnect, String serverURI) {
                    }

                    @Override
                    public void authPacketArrived(int reasonCode, MqttProperties properties) {
                    }
                });
                MqttConnectionOptions options = V5Client.options(true, 0);
                options.setConnectionTimeout(60);
                clients.add(c);
                connecting.add(c.connect(options));
            }
        }
        waitAll(connecting);
        long connected = System.nanoTime();
        assertEquals(count, broker.broker.stats().connectionsOpen(), "all connected at once");

        List<Object> subscribing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (clients.get(i) instanceof MqttAsyncClient v3) {
                subscribing.add(v3.subscribe(new String[] {"many/" + i, "many/all"}, new int[] {1, 0}));
            } else {
                var v5 = (org.eclipse.paho.mqttv5.client.MqttAsyncClient) clients.get(i);
                subscribing.add(v5.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                        new org.eclipse.paho.mqttv5.common.MqttSubscription("many/" + i, 1),
                        new org.eclipse.paho.mqttv5.common.MqttSubscription("many/all", 0)}));
            }
        }
        waitAll(subscribing);

        List<Object> publishing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String topic = "many/" + ((i + 1) % count);
            for (int n = 0; n < perClient; n++) {
                byte[] payload = ("from-" + i + "-" + n).getBytes(StandardCharsets.UTF_8);
                if (clients.get(i) instanceof MqttAsyncClient v3) {
                    publishing.add(v3.publish(topic, payload, 1, false));
                } else {
                    publishing.add(((org.eclipse.paho.mqttv5.client.MqttAsyncClient) clients.get(i))
                            .publish(topic, payload, 1, false));
                }
            }
        }
        publishing.add(((MqttAsyncClient) clients.get(0)).publish("many/all",
                "broadcast".getBytes(StandardCharsets.UTF_8), 1, false));
        waitAll(publishing);

        int expected = count * perClient + count;
        long end = System.nanoTime() + 60_000_000_000L;
        while (deliveries.size() < expected && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        long delivered = System.nanoTime();
        Thread.sleep(300);
        for (int i = 0; i < count; i++) {
            int from = (i + count - 1) % count;
            for (int n = 0; n < perClient; n++) {
                assertTrue(deliveries.contains(i + ":from-" + from + "-" + n), "client " + i + " missed message " + n
                        + " (" + deliveries.size() + " of " + expected + " delivered)");
            }
            assertTrue(deliveries.contains(i + ":broadcast"), "client " + i + " missed the broadcast");
        }
        assertEquals(expected, deliveries.size());
        System.err.printf("%d clients: connected in %d ms, %d messages delivered in %d ms, %d duplicate deliveries"
                        + " (QoS 1 allows them)%n", count, (connected - start) / 1_000_000, expected,
                (delivered - connected) / 1_000_000, duplicates.get());
        return deliveries.size();
    }

    private static void waitAll(List<Object> tokens) throws Exception {
        for (Object token : tokens) {
            if (token instanceof IMqttToken v3) {
                v3.waitForCompletion(60_000);
            } else {
                ((org.eclipse.paho.mqttv5.client.IMqttToken) token).waitForCompletion(60_000);
            }
        }
        tokens.clear();
    }

    void closeAll() {
        for (Object client : clients) {
            try {
                if (client instanceof MqttAsyncClient v3) {
                    v3.disconnectForcibly(0, 100, false);
                    v3.close(true);
                } else {
                    var v5 = (org.eclipse.paho.mqttv5.client.MqttAsyncClient) client;
                    v5.disconnectForcibly(0, 100, false);
                    v5.close(true);
                }
            } catch (Exception ignored) {
                // the broker is about to stop anyway
            }
        }
    }
}
