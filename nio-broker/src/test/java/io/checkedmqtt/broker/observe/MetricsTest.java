package io.checkedmqtt.broker.observe;

import io.checkedmqtt.core.config.BrokerConfig;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /metrics} over real HTTP: valid exposition format, and numbers that match what Paho clients did. */
class MetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");

    /** Parses the text exposition format strictly: HELP and TYPE before each family's samples, valid names and values. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Set<String> typed = new HashSet<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertTrue(typed.add(parts[2]), "one TYPE line per family: " + parts[2]);
                types.put(parts[2], parts[3]);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "a sample line: " + line);
            String name = m.group(1);
            String family = name.replaceAll("_(bucket|sum|count)$", "");
            assertTrue(types.containsKey(name) || "histogram".equals(types.get(family)), "TYPE before " + name);
            assertTrue(name.startsWith("checkedmqtt_"), name);
            if ("counter".equals(types.get(name))) {
                assertTrue(name.endsWith("_total"), "a counter's name ends in _total: " + name);
            }
            samples.put(name + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    @Test
    @DisplayName("/metrics: connections, sessions, subscriptions, retained, messages and bytes by QoS, drops by reason, queue depth, loop histogram")
    void metricsMatchTheClients() throws Exception {
        try (ObservedBroker b = new ObservedBroker(s -> s.core(BrokerConfig.builder().maxQueuedMessages(3).build()))) {
            var offline = b.v3("offline", false);
            offline.subscribe("q", 1);
            offline.disconnect();
            var sub = b.v3("sub", true);
            CountDownLatch arrived = new CountDownLatch(6);
            sub.subscribe("t/#", 2, (topic, message) -> arrived.countDown());
            var pub = b.v3("pub", true);
            for (int qos = 0; qos < 3; qos++) {
                for (int i = 0; i < 2; i++) {
                    MqttMessage message = new MqttMessage(("p" + qos + i).getBytes());
                    message.setQos(qos);
                    pub.publish("t/" + qos, message);
                }
            }
            for (int i = 0; i < 5; i++) {   // three fit the offline session's queue, two are dropped
                MqttMessage message = new MqttMessage(("q" + i).getBytes());
                message.setQos(1);
                pub.publish("q", message);
            }
            MqttMessage retained = new MqttMessage("r".getBytes());
            retained.setRetained(true);
            retained.setQos(0);
            pub.publish("r", retained);
            assertTrue(arrived.await(10, TimeUnit.SECONDS));
            Thread.sleep(200);

            HttpResponse<String> response = b.send("GET", "/metrics");
            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            Map<String, Double> m = parse(response.body());
            assertEquals(2.0, m.get("checkedmqtt_connections_open"));
            assertEquals(3.0, m.get("checkedmqtt_connections_accepted_total"));
            assertEquals(2.0, m.get("checkedmqtt_clients_connected"));
            assertEquals(3.0, m.get("checkedmqtt_sessions"));
            assertEquals(2.0, m.get("checkedmqtt_subscriptions"));
            assertEquals(1.0, m.get("checkedmqtt_retained_messages"));
            assertEquals(3.0, m.get("checkedmqtt_queued_messages"));
            assertEquals(9.0, m.get("checkedmqtt_queued_bytes"), "three of 2 payload bytes and a 1-byte topic, as max_queued_bytes counts");
            assertEquals(3.0, m.get("checkedmqtt_messages_received_total{qos=\"0\"}"), "two to t/0 and the retained one");
            assertEquals(7.0, m.get("checkedmqtt_messages_received_total{qos=\"1\"}"));
            assertEquals(2.0, m.get("checkedmqtt_messages_received_total{qos=\"2\"}"));
            for (int qos = 0; qos < 3; qos++) {
                assertEquals(2.0, m.get("checkedmqtt_messages_sent_total{qos=\"" + qos + "\"}"), "QoS " + qos);
            }
            // a 3.1.1 PUBLISH of "t/1" with a 3-byte payload: 2 header + 2+3 topic + 2 id + 3 payload
            assertEquals(2 * 12.0, m.get("checkedmqtt_message_bytes_received_total{qos=\"2\"}"));
            assertEquals(2 * 12.0, m.get("checkedmqtt_message_bytes_sent_total{qos=\"1\"}"));
            assertEquals(2 * 10.0, m.get("checkedmqtt_message_bytes_sent_total{qos=\"0\"}"), "QoS 0: no packet id");
            assertEquals(2.0, m.get("checkedmqtt_messages_dropped_total{reason=\"queue_full\"}"));
            assertEquals(0.0, m.get("checkedmqtt_messages_dropped_total{reason=\"outbound_full\"}"));
            assertEquals(0.0, m.get("checkedmqtt_internal_errors_total"));
            assertTrue(m.get("checkedmqtt_bytes_received_total") > m.get("checkedmqtt_message_bytes_received_total{qos=\"1\"}"));

            List<Double> buckets = new ArrayList<>();
            m.forEach((name, value) -> {
                if (name.startsWith("checkedmqtt_loop_pass_seconds_bucket")) {
                    buckets.add(value);
                }
            });
            assertEquals(16, buckets.size());
            for (int i = 1; i < buckets.size(); i++) {
                assertTrue(buckets.get(i) >= buckets.get(i - 1), "buckets are cumulative");
            }
            assertEquals(m.get("checkedmqtt_loop_pass_seconds_count"), buckets.get(buckets.size() - 1));
            assertTrue(m.get("checkedmqtt_loop_pass_seconds_count") > 10);
        }
    }

    @Test
    @DisplayName("the format check itself fails on a counter without _total and on a sample before its TYPE")
    void parserRejectsBadExposition() {
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> parse("# TYPE checkedmqtt_x counter\ncheckedmqtt_x 1\n"));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> parse("checkedmqtt_y_total 1\n"));
    }
}
