package io.checkedmqtt.broker.e2e;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The broker process with persistence is killed with SIGKILL at random moments (seeded:
 * {@code -Dcrash.seed}; {@code -Dcrash.kills}, 20 by default, 200 with {@code -Pcrash}) while
 * Paho 3.1.1 clients with kept sessions publish QoS 1 and QoS 2 messages and subscribe; after
 * each kill it starts again on the same directory and the clients reconnect. The log is
 * compacted now and then meanwhile, so kills land in compactions too. At the end every message a
 * publisher saw acknowledged has reached each subscriber at least once (QoS 1) or exactly once
 * (QoS 2), in the order of each publisher; no QoS 2 message arrived twice; every reconnect found
 * its session; the subscriptions held without a new SUBSCRIBE; the retained message is the last one.
 * The same check fails for a broker that keeps nothing across a kill.
 */
class CrashRecoveryTest {

    @TempDir
    Path directory;

    private static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] [MQTT-4.3.2-2] [MQTT-4.3.3-2] [MQTT-4.4.0-1] [MQTT-4.6.0-2] kill -9 at random moments: every acknowledged QoS 1 message arrives, every QoS 2 message exactly once, in order; sessions, subscriptions and retained messages come back")
    void killNineAtRandomMoments() throws Exception {
        run(true, Integer.getInteger("crash.kills", 20), Long.getLong("crash.seed", 17_2026L));
    }

    @Test
    @DisplayName("the check bites: a broker that keeps nothing across a kill fails it")
    void brokerWithoutPersistenceFails() {
        assertThrows(AssertionError.class, () -> run(false, 2, 1L));
    }

    private void run(boolean persistence, int kills, long seed) throws Exception {
        Random random = new Random(seed);
        Path config = directory.resolve("broker-" + persistence + ".conf");
        Files.writeString(config, String.join("\n", "persistence " + persistence,
                "persistence_location " + directory.resolve("data"), "persistence_compact_bytes 65536",
                "max_queued_messages 10000000", "log_connections false", ""));
        Path log = directory.resolve("broker-" + persistence + ".log");
        List<String> arguments = List.of("--config", config.toString(), "--port", "0");

        BrokerProcess broker = BrokerProcess.start(log, arguments, 30_000);
        List<CrashClients.Client> clients = new ArrayList<>();
        try (RestartProxy proxy = new RestartProxy()) {
            proxy.target(broker.port);
            List<CrashClients.Subscriber> subscribers = List.of(
                    new CrashClients.Subscriber(proxy.uri(), "sub-a", "crash/#"),
                    new CrashClients.Subscriber(proxy.uri(), "sub-b", "crash/#"));
            List<CrashClients.Publisher> publishers = List.of(
                    new CrashClients.Publisher(proxy.uri(), "q1-a", "crash/q1-a", 1, false),
                    new CrashClients.Publisher(proxy.uri(), "q1-b", "crash/q1-b", 1, false),
                    new CrashClients.Publisher(proxy.uri(), "q2-a", "crash/q2-a", 2, false),
                    new CrashClients.Publisher(proxy.uri(), "q2-b", "crash/q2-b", 2, false));
            CrashClients.Publisher retainer = new CrashClients.Publisher(proxy.uri(), "retainer", "retained/r", 1, true);
            clients.addAll(subscribers);
            clients.addAll(publishers);
            clients.add(retainer);
            subscribers.forEach(CrashClients.Client::start);
            await(() -> subscribers.stream().allMatch(s -> s.subscribed), 30_000, "both subscribed");
            publishers.forEach(CrashClients.Client::start);
            retainer.start();

            for (int k = 0; k < kills; k++) {
                Thread.sleep(200 + random.nextInt(1_300));
                broker.kill();
                proxy.target(0);
                broker = BrokerProcess.start(log, arguments, 30_000);
                proxy.target(broker.port);
            }
            Thread.sleep(500);
            for (CrashClients.Publisher p : publishers) {
                p.publishing = false;
            }
            retainer.publishing = false;
            await(() -> publishers.stream().allMatch(CrashClients.Publisher::settled) && retainer.settled(), 60_000,
                    "every publisher has its answers");
            for (CrashClients.Client c : clients) {
                assertTrue(c.resumed.stream().allMatch(present -> present), c.clientId + " found its session: "
                        + c.resumed);
            }
            await(() -> subscribers.stream().allMatch(s -> everythingArrived(s, publishers)), 60_000,
                    "every acknowledged message arrived");

            for (CrashClients.Subscriber s : subscribers) {
                check(s, publishers);
            }
            // Paho fails the tokens of messages in flight when a connection drops, and may still
            // resend them; the last message, sent after the kills, must be acknowledged and retained.
            int last = retainer.next - 1;
            assertTrue(retainer.acknowledged.contains(last), "the last retained message was acknowledged");
            assertEquals("retainer/" + last, retained(proxy.uri()), "the last retained message");
            String text = Files.readString(log);
            assertTrue(text.contains("persistence: snapshot") || kills < 10, "compaction ran during the test");
            // Each Paho connect has a thread of its own, which must end; the proxy's waiting is what
            // keeps Paho 1.2.5 from leaking one per reconnect (RestartProxy), thousands per run.
            long connecting = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("MQTT Con:")).count();
            assertTrue(connecting <= clients.size(), connecting + " Paho connect threads alive for "
                    + clients.size() + " clients");
            System.out.println("crash test: seed " + seed + ", " + kills + " kills, "
                    + publishers.stream().mapToInt(p -> p.acknowledged.size()).sum() + " messages acknowledged, "
                    + publishers.stream().mapToInt(p -> p.failed.size()).sum() + " failed in Paho on a lost connection");
        } finally {
            for (CrashClients.Client c : clients) {
                c.close();
            }
            broker.kill();
        }
    }

    private static boolean everythingArrived(CrashClients.Subscriber s, List<CrashClients.Publisher> publishers) {
        Map<String, Integer> counts = counts(s.received());
        for (CrashClients.Publisher p : publishers) {
            for (int n : p.acknowledged) {
                if (!counts.containsKey(p.clientId + "/" + n)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Map<String, Integer> counts(List<String> received) {
        Map<String, Integer> counts = new HashMap<>();
        for (String payload : received) {
            counts.merge(payload, 1, Integer::sum);
        }
        return counts;
    }

    private static void check(CrashClients.Subscriber s, List<CrashClients.Publisher> publishers) {
        List<String> received = s.received();
        Map<String, Integer> counts = counts(received);
        for (CrashClients.Publisher p : publishers) {
            for (int n = 0; n < p.next; n++) {
                int count = counts.getOrDefault(p.clientId + "/" + n, 0);
                if (p.qos == 2) {
                    assertTrue(count <= 1, s.clientId + " got QoS 2 message " + p.clientId + "/" + n + " " + count
                            + " times");
                }
                if (p.acknowledged.contains(n)) {
                    assertTrue(count >= 1, s.clientId + " never got acknowledged " + p.clientId + "/" + n);
                }
            }
            int previous = -1;
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (String payload : received) {
                if (payload.startsWith(p.clientId + "/")) {
                    int n = Integer.parseInt(payload.substring(p.clientId.length() + 1));
                    if (seen.add(n)) {
                        assertTrue(n > previous, s.clientId + ": " + p.clientId + "/" + n + " arrived after /"
                                + previous);
                        previous = n;
                    }
                }
            }
        }
    }

    /** What a new client gets from the retained store. */
    private static String retained(String uri) throws Exception {
        MqttClient client = new MqttClient(uri, "retained-reader", new MemoryPersistence());
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.subscribe("retained/#", 1, (topic, message) ->
                    got.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            return got.poll(10, TimeUnit.SECONDS);
        } finally {
            client.disconnect();
            client.close();
        }
    }
}
