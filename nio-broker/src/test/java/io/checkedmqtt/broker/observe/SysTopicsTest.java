package io.checkedmqtt.broker.observe;

import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code $SYS} topics with Paho subscribers: Mosquitto's names and formats, retained, and never matched by {@code #}. */
class SysTopicsTest {

    /** Subscribes and keeps the latest payload of each topic. */
    private static Map<String, String> latest(org.eclipse.paho.client.mqttv3.MqttClient client, String filter,
                                              BlockingQueue<String> arrivals) throws Exception {
        Map<String, String> values = new ConcurrentHashMap<>();
        client.subscribe(filter, 0, (topic, message) -> {
            values.put(topic, new String(message.getPayload(), StandardCharsets.UTF_8));
            arrivals.add(topic + (message.isRetained() ? " (retained)" : ""));
        });
        return values;
    }

    private static void awaitValue(Map<String, String> values, String topic, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!expected.equals(values.get(topic))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + " never became '" + expected + "'; last " + values.get(topic));
            }
            Thread.sleep(50);
        }
    }

    @Test
    @DisplayName("v3 [MQTT-4.7.2-1] $SYS/# gets the broker's values, retained, with Mosquitto's names; # and +/broker/# get none of them")
    void sysTopicsWithPaho() throws Exception {
        try (ObservedBroker b = new ObservedBroker(s -> s.sysIntervalSeconds(1))) {
            BlockingQueue<String> everything = new LinkedBlockingQueue<>();
            Map<String, String> hash = latest(b.v3("hash", true), "#", everything);
            BlockingQueue<String> plus = new LinkedBlockingQueue<>();
            latest(b.v3("plus", true), "+/broker/#", plus);
            BlockingQueue<String> sysArrivals = new LinkedBlockingQueue<>();
            Map<String, String> sys = latest(b.v3("sys", true), "$SYS/#", sysArrivals);

            var pub = b.v3("pub", true);
            for (int i = 0; i < 4; i++) {
                MqttMessage m = new MqttMessage(("m" + i).getBytes());
                m.setQos(1);
                pub.publish("app/data", m);
            }
            awaitValue(sys, "$SYS/broker/clients/connected", "4");
            awaitValue(sys, "$SYS/broker/publish/messages/received", "4");
            assertEquals("checked-mqtt version " + Version.NUMBER, sys.get("$SYS/broker/version"));
            assertTrue(sys.get("$SYS/broker/uptime").matches("[0-9]+ seconds"), sys.get("$SYS/broker/uptime"));
            assertEquals("4", sys.get("$SYS/broker/clients/total"));
            assertEquals("0", sys.get("$SYS/broker/clients/disconnected"));
            assertTrue(sys.get("$SYS/broker/load/messages/received/1min").matches("[0-9]+\\.[0-9]{2}"));
            assertTrue(sys.containsKey("$SYS/broker/retained messages/count"));
            assertTrue(sys.containsKey("$SYS/broker/subscriptions/count"));
            awaitValue(sys, "$SYS/broker/subscriptions/count", "3");

            Thread.sleep(1500);   // another interval: still nothing for # or +/broker/#
            assertEquals(Map.of("app/data", "m3"), hash, "# matches no topic that starts with $");
            assertNull(plus.poll(), "+ at the start matches no $ topic either");

            BlockingQueue<String> lateArrivals = new LinkedBlockingQueue<>();
            latest(b.v3("late", true), "$SYS/broker/version", lateArrivals);
            assertEquals("$SYS/broker/version (retained)", lateArrivals.poll(5, TimeUnit.SECONDS),
                    "a late subscriber gets the retained value at once, as from Mosquitto");
        }
    }

    @Test
    @DisplayName("only changed values are published again: uptime at every interval, the version once")
    void onlyChangesAgain() throws Exception {
        try (ObservedBroker b = new ObservedBroker(s -> s.sysIntervalSeconds(1))) {
            BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
            latest(b.v3("sys", true), "$SYS/broker/#", arrivals);
            Thread.sleep(3300);
            long versions = arrivals.stream().filter(t -> t.startsWith("$SYS/broker/version")).count();
            long uptimes = arrivals.stream().filter(t -> t.startsWith("$SYS/broker/uptime")).count();
            assertEquals(1, versions, "the retained version on subscribe, and never again");
            assertTrue(uptimes >= 3, "uptime changes every interval: " + uptimes);
        }
    }

    @Test
    @DisplayName("sys_interval 0: no $SYS topic is published or retained")
    void sysOff() throws Exception {
        try (ObservedBroker b = new ObservedBroker(s -> s.sysIntervalSeconds(0))) {
            BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
            latest(b.v3("sys", true), "$SYS/#", arrivals);
            Thread.sleep(1200);
            assertNull(arrivals.poll());
            assertEquals(0L, JsonReader.at(b.json("/api/v1/summary"), "retained"));
        }
    }
}
