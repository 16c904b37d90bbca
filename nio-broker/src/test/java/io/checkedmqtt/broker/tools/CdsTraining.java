package io.checkedmqtt.broker.tools;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Build step, not a test: writes the broker jar's class data sharing archive (the build runs it
 * in the {@code package} phase, after the jar is made). It starts the jar with
 * {@code -XX:ArchiveClassesAtExit}, drives it through what every broker does early in its life
 * (MQTT 3.1.1 and 5.0 clients connect, subscribe, publish and receive at QoS 0, 1 and 2, a
 * retained message, a kept session, disconnects), stops it the way an operator does (SIGTERM),
 * and checks that the JVM wrote the archive. A broker started with
 * {@code -XX:SharedArchiveFile=checked-mqtt-broker.jsa} then maps those classes, already parsed and
 * verified, instead of loading them from the jar.
 *
 * <pre>
 * java -cp TEST_CLASSPATH io.checkedmqtt.broker.tools.CdsTraining BROKER.jar ARCHIVE.jsa
 * </pre>
 */
public final class CdsTraining {

    private static final long STEP_SECONDS = 30;
    /** Held so that the level stays set: Paho 5 logs every acknowledgement at INFO. */
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho");

    private CdsTraining() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: CdsTraining BROKER.jar ARCHIVE.jsa");
            System.exit(2);
        }
        PAHO_LOG.setLevel(Level.WARNING);
        try {
            train(args);
        } catch (Exception e) {
            System.err.println("class data sharing archive not written: " + e);
            System.exit(1);
        }
        System.exit(0);   // Paho may leave threads behind that would keep this JVM, and the build, waiting
    }

    private static void train(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path archive = Path.of(args[1]).toAbsolutePath();
        Files.deleteIfExists(archive);
        int port = freePort();
        Path log = archive.resolveSibling("cds-training.log");
        Process broker = new ProcessBuilder(javaCommand(), "-XX:ArchiveClassesAtExit=" + archive,
                "-jar", jar.toString(), "--port", Integer.toString(port), "--quiet")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitListening(port, broker);
            String uri = "tcp://127.0.0.1:" + port;
            version311(uri);
            version5(uri);
        } finally {
            broker.destroy();   // SIGTERM: the broker's graceful stop, after which the JVM writes the archive
            if (!broker.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
                throw new IllegalStateException("the broker did not stop within " + STEP_SECONDS + " s; see " + log);
            }
        }
        if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
            throw new IllegalStateException("the JVM wrote no class data sharing archive " + archive + "; see " + log);
        }
        System.out.println("class data sharing archive: " + archive + " (" + Files.size(archive) / 1024 + " KiB)");
    }

    private static void version311(String uri) throws Exception {
        MqttClient subscriber = new MqttClient(uri, "cds-311-sub", new MemoryPersistence());
        MqttConnectOptions kept = new MqttConnectOptions();
        kept.setCleanSession(false);
        subscriber.connect(kept);
        CountDownLatch received = new CountDownLatch(4);
        subscriber.subscribe("cds/311/#", 2, (topic, message) -> received.countDown());
        MqttClient publisher = new MqttClient(uri, "cds-311-pub", new MemoryPersistence());
        MqttConnectOptions withWill = new MqttConnectOptions();
        withWill.setWill("cds/311/will", bytes("gone"), 1, false);
        publisher.connect(withWill);
        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("cds/311/q" + qos, bytes("qos " + qos), qos, false);
        }
        publisher.publish("cds/311/retained", bytes("kept"), 1, true);
        await(received, "3.1.1 messages");
        subscriber.unsubscribe("cds/311/#");
        publisher.disconnect();
        subscriber.disconnect();
        subscriber.close();
        publisher.close();
    }

    private static void version5(String uri) throws Exception {
        var subscriber = new org.eclipse.paho.mqttv5.client.MqttClient(uri, "cds-5-sub",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions kept = new MqttConnectionOptions();
        kept.setCleanStart(false);
        kept.setSessionExpiryInterval(60L);
        subscriber.connect(kept);
        CountDownLatch received = new CountDownLatch(4);
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("cds/5/#", 2)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> received.countDown()});
        var publisher = new org.eclipse.paho.mqttv5.client.MqttClient(uri, "cds-5-pub",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        publisher.connect(new MqttConnectionOptions());
        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("cds/5/q" + qos, bytes("qos " + qos), qos, false);
        }
        publisher.publish("cds/5/retained", bytes("kept"), 1, true);
        await(received, "5.0 messages");
        subscriber.unsubscribe("cds/5/#");
        publisher.disconnect();
        subscriber.disconnect();
        subscriber.close();
        publisher.close();
    }

    private static void awaitListening(int port, Process broker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the broker exited with status " + broker.exitValue());
            }
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("the broker did not listen on port " + port + " within " + STEP_SECONDS + " s");
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(STEP_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(what + " did not arrive within " + STEP_SECONDS + " s");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
