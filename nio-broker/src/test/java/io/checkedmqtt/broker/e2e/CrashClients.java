package io.checkedmqtt.broker.e2e;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Paho 3.1.1 clients of the crash test: each keeps its session (CleanSession 0) and one
 * client object, reconnects by itself as soon as the broker is back, and records what the test
 * checks: a publisher which of its messages were acknowledged, a subscriber every message its
 * application received, in order, and whether each reconnect found its session.
 */
final class CrashClients {

    private CrashClients() {
    }

    static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setAutomaticReconnect(false);   // its back-off grows to minutes: the clients reconnect themselves
        options.setConnectionTimeout(2);
        options.setKeepAliveInterval(30);
        options.setMaxInflight(100);
        return options;
    }

    /** One Paho client and the thread that keeps it connected. */
    abstract static class Client implements MqttCallback, AutoCloseable {
        final MqttAsyncClient paho;
        final String clientId;
        volatile boolean running = true;
        /** Session Present of each successful connect after the first. */
        final List<Boolean> resumed = new ArrayList<>();
        private boolean first = true;
        private final Thread thread;

        Client(String uri, String clientId) throws MqttException {
            this.clientId = clientId;
            this.paho = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
            paho.setCallback(this);
            thread = new Thread(this::run, "crash-client-" + clientId);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running) {
                if (!paho.isConnected()) {
                    connectOnce();
                    continue;
                }
                try {
                    work();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void connectOnce() {
            try {
                IMqttToken token = paho.connect(options());
                token.waitForCompletion(3_000);
                synchronized (resumed) {
                    if (!first) {
                        resumed.add(token.getSessionPresent());
                    }
                    first = false;
                }
            } catch (MqttException e) {
                pause(20);
            }
        }

        /** One step of the client's own work while connected. */
        abstract void work() throws InterruptedException;

        static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(5_000);
            try {
                paho.disconnectForcibly(500, 500);
            } catch (MqttException ignored) {
                // gone already
            }
            paho.close(true);
        }
    }

    /** Publishes {@code <clientId>/<n>} for n = 0, 1, ... to its topic at one QoS, at most ten unacknowledged. */
    static final class Publisher extends Client {
        final String topic;
        final int qos;
        final boolean retain;
        /** The next message to hand to Paho; every one below was handed over. */
        volatile int next;
        volatile boolean publishing = true;
        final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<Integer> failed = ConcurrentHashMap.newKeySet();
        private final AtomicInteger unacknowledged = new AtomicInteger();

        Publisher(String uri, String clientId, String topic, int qos, boolean retain) throws MqttException {
            super(uri, clientId);
            this.topic = topic;
            this.qos = qos;
            this.retain = retain;
        }

        @Override
        void work() throws InterruptedException {
            if (!publishing || unacknowledged.get() >= 10) {
                Thread.sleep(2);
                return;
            }
            int n = next;
            try {
                paho.publish(topic, (clientId + "/" + n).getBytes(StandardCharsets.UTF_8), qos, retain, null,
                        new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                acknowledged.add(n);
                                unacknowledged.decrementAndGet();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable cause) {
                                failed.add(n);
                                unacknowledged.decrementAndGet();
                            }
                        });
                unacknowledged.incrementAndGet();
                next = n + 1;
            } catch (MqttException e) {
                Thread.sleep(5);   // not connected after all: this message was never handed over
            }
            Thread.sleep(3);
        }

        /** Whether every message handed to Paho has been acknowledged or has failed. */
        boolean settled() {
            return acknowledged.size() + failed.size() >= next;
        }
    }

    /**
     * Subscribes until a SUBACK says it did, once; from then on its kept session must hold the
     * subscription through every restart.
     */
    static final class Subscriber extends Client {
        final String filter;
        volatile boolean subscribed;
        /** Every message its application got, as "topic payload", in order. */
        final List<String> received = new ArrayList<>();

        Subscriber(String uri, String clientId, String filter) throws MqttException {
            super(uri, clientId);
            this.filter = filter;
        }

        @Override
        void work() throws InterruptedException {
            if (!subscribed) {
                try {
                    paho.subscribe(filter, 2).waitForCompletion(3_000);
                    subscribed = true;
                } catch (MqttException e) {
                    // the broker went away before the SUBACK: subscribe again once it is back
                }
            }
            Thread.sleep(20);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            synchronized (received) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }
        }

        List<String> received() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }
    }
}
