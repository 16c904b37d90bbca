package io.checkedmqtt.broker.observe;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import io.checkedmqtt.testkit.paho.V5Client;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.checkedmqtt.broker.observe.JsonReader.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON API over real HTTP (the JDK's HttpClient) against a broker that Paho clients use: every
 * number and list must match what the clients did.
 */
class HttpApiTest {

    /** A 3.1.1 subscriber that counts what it gets. */
    private static final class Counting implements MqttCallback {
        final CountDownLatch arrived;

        Counting(int expected) {
            arrived = new CountDownLatch(expected);
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            arrived.countDown();
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    private static org.eclipse.paho.client.mqttv3.MqttMessage v3Message(String text, int qos, boolean retain) {
        org.eclipse.paho.client.mqttv3.MqttMessage m = new org.eclipse.paho.client.mqttv3.MqttMessage(
                text.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retain);
        return m;
    }

    @Test
    @DisplayName("summary: clients, sessions, subscriptions, retained and messages by QoS are what the Paho clients did")
    void summaryMatchesTheClients() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            var sub = b.v3("sub", true);
            Counting counting = new Counting(8);
            sub.setCallback(counting);
            sub.subscribe(new String[] {"t/#", "a/+"}, new int[] {1, 0});
            var pub = b.v3("pub", true);
            for (int i = 0; i < 5; i++) {
                pub.publish("t/x", v3Message("m" + i, 1, false));
            }
            for (int i = 0; i < 3; i++) {
                pub.publish("t/y", v3Message("n" + i, 0, false));
            }
            pub.publish("r/1", v3Message("one", 0, true));
            pub.publish("r/2", v3Message("two", 0, true));
            assertTrue(counting.arrived.await(10, TimeUnit.SECONDS));
            Thread.sleep(100);   // the last QoS 0 publishes reach the broker

            Map<String, Object> s = b.json("/api/v1/summary");
            assertEquals(2L, at(s, "clients", "connected"));
            assertEquals(2L, at(s, "clients", "sessions"));
            assertEquals(0L, at(s, "clients", "offline"));
            assertEquals(2L, at(s, "clients", "maximum"));
            assertEquals(2L, at(s, "connections", "open"));
            assertEquals(2L, at(s, "subscriptions"));
            assertEquals(2L, at(s, "retained"));
            assertEquals(5L, at(s, "messages", "received", "qos0"));
            assertEquals(5L, at(s, "messages", "received", "qos1"));
            assertEquals(0L, at(s, "messages", "received", "qos2"));
            assertEquals(10L, at(s, "messages", "received", "total"));
            assertEquals(3L, at(s, "messages", "sent", "qos0"));
            assertEquals(5L, at(s, "messages", "sent", "qos1"));
            assertEquals(0L, at(s, "dropped", "queueFull"));
            assertEquals(0L, at(s, "internalErrors"));
            List<?> listeners = (List<?>) at(s, "listeners");
            assertEquals(List.of("mqtt", "http"), listeners.stream().map(l -> at(l, "name")).toList());
            assertEquals((long) b.httpPort(), at(s, "listeners", 1, "port"));
            assertTrue((long) at(s, "bytes", "received") > 0);
        }
    }

    @Test
    @DisplayName("clients: sorted, each with address, protocol, keep-alive, counters; search and paging; one client's page with subscriptions and queued messages")
    void clientsAndOneClient() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            var v5 = b.v5("zeta-5", 3600);
            v5.subscribe(new String[] {"q/#", "$share/g/s"}, new int[] {1, 0});
            var v3 = b.v3("alpha-3", true);
            v3.subscribe("x", 2);

            Map<String, Object> page = b.json("/api/v1/clients");
            assertEquals(2L, at(page, "total"));
            assertEquals("alpha-3", at(page, "clients", 0, "id"));
            assertEquals("3.1.1", at(page, "clients", 0, "protocol"));
            assertEquals("zeta-5", at(page, "clients", 1, "id"));
            assertEquals("5.0", at(page, "clients", 1, "protocol"));
            assertEquals(60L, at(page, "clients", 1, "keepAlive"));
            assertEquals(3600L, at(page, "clients", 1, "sessionExpiry"));
            assertEquals(true, at(page, "clients", 1, "connected"));
            assertTrue(((String) at(page, "clients", 1, "address")).startsWith("127.0.0.1:"));
            assertEquals("mqtt", at(page, "clients", 1, "listener"));
            assertTrue((long) at(page, "clients", 1, "bytesIn") > 0 && (long) at(page, "clients", 1, "bytesOut") > 0);
            assertNotNull(at(page, "clients", 1, "connectedSince"));
            assertEquals(2L, at(page, "clients", 1, "subscriptions"));

            assertEquals(List.of("zeta-5"), ids(b.json("/api/v1/clients?search=ZETA")));
            Map<String, Object> second = b.json("/api/v1/clients?offset=1&limit=1");
            assertEquals(2L, at(second, "total"));
            assertEquals(List.of("zeta-5"), ids(second));

            v5.disconnect();
            var pub = b.v3("pub", true);
            pub.publish("q/1", v3Message("queued one", 1, false));
            pub.publish("q/2", v3Message("queued two", 1, false));
            Thread.sleep(200);
            Map<String, Object> zeta = b.json("/api/v1/clients/zeta-5");
            assertEquals(false, at(zeta, "connected"));
            assertNull(at(zeta, "address"));
            assertNotNull(at(zeta, "disconnectedAt"));
            assertEquals(2L, at(zeta, "queued"));
            assertEquals("queued one", at(zeta, "queuedMessages", 0, "payload"));
            assertEquals("q/2", at(zeta, "queuedMessages", 1, "topic"));
            assertEquals(1L, at(zeta, "queuedMessages", 1, "qos"));
            assertEquals("$share/g/s", at(zeta, "subscriptionList", 0, "filter"));
            assertEquals("q/#", at(zeta, "subscriptionList", 1, "filter"));
            assertEquals(1L, at(zeta, "subscriptionList", 1, "qos"));
            assertEquals(404, b.send("GET", "/api/v1/clients/nobody").statusCode());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.14.2-1] disconnect through the API: the 5.0 client gets DISCONNECT 0x98, its will goes out; 409 offline, 404 unknown, 405 for GET")
    void disconnectThroughTheApi() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            var watcher = b.v3("watcher", true);
            BlockingQueue<String> wills = new ArrayBlockingQueue<>(4);
            watcher.subscribe("wills/#", 0, (topic, message) -> wills.add(topic + "=" + new String(message.getPayload(),
                    StandardCharsets.UTF_8)));
            V5Client device = new V5Client(b.mqttUri, "device");
            b.track(device);
            MqttConnectionOptions options = V5Client.options(true, 600);
            options.setWill("wills/device", new MqttMessage("gone".getBytes(StandardCharsets.UTF_8)));
            device.connect(options);

            assertEquals(405, b.send("GET", "/api/v1/clients/device/disconnect").statusCode());
            HttpResponse<String> done = b.send("POST", "/api/v1/clients/device/disconnect");
            assertEquals(200, done.statusCode(), done.body());
            assertEquals(true, at(JsonReader.parse(done.body()), "disconnected"));
            assertEquals(0x98, device.awaitDisconnect().getReturnCode());
            assertEquals("wills/device=gone", wills.poll(5, TimeUnit.SECONDS));
            Map<String, Object> offline = b.json("/api/v1/clients/device");
            assertEquals(false, at(offline, "connected"), "the session (expiry 600 s) stays, offline");
            HttpResponse<String> again = b.send("POST", "/api/v1/clients/device/disconnect");
            assertEquals(409, again.statusCode());
            assertEquals(409L, at(JsonReader.parse(again.body()), "status"));
            assertEquals(404, b.send("POST", "/api/v1/clients/nobody/disconnect").statusCode());
        }
    }

    @Test
    @DisplayName("v3 [MQTT-3.3.1-10] retained messages: listed sorted and paged, by filter (400 for a bad one); DELETE removes one, so a new subscriber gets only the rest")
    void retainedMessages() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            var pub = b.v3("pub", true);
            pub.publish("r/2", v3Message("two", 1, true));
            pub.publish("r/1", v3Message("one", 0, true));
            pub.publish("s/1", v3Message("", 0, false));
            pub.publish("bin", new org.eclipse.paho.client.mqttv3.MqttMessage(new byte[] {(byte) 0xff, 0, 1}) {{
                setRetained(true);
            }});
            Thread.sleep(100);
            Map<String, Object> all = b.json("/api/v1/retained");
            assertEquals(3L, at(all, "total"));
            assertEquals(List.of("bin", "r/1", "r/2"), topics(all));
            assertEquals("/wAB", at(all, "messages", 0, "payloadBase64"));
            assertEquals("two", at(all, "messages", 2, "payload"));
            assertEquals(1L, at(all, "messages", 2, "qos"));
            assertEquals(List.of("r/2"), topics(b.json("/api/v1/retained?filter=r/%2B&offset=1&limit=5")));
            HttpResponse<String> bad = b.send("GET", "/api/v1/retained?filter=r/%23/x");
            assertEquals(400, bad.statusCode());
            assertTrue(((String) at(JsonReader.parse(bad.body()), "message")).contains("MQTT-4.7.1"), bad.body());

            assertEquals(200, b.send("DELETE", "/api/v1/retained?topic=r/1").statusCode());
            assertEquals(404, b.send("DELETE", "/api/v1/retained?topic=r/1").statusCode());
            assertEquals(400, b.send("DELETE", "/api/v1/retained?topic=r/%2B").statusCode());
            assertEquals(400, b.send("DELETE", "/api/v1/retained").statusCode());
            var late = b.v3("late", true);
            BlockingQueue<String> got = new ArrayBlockingQueue<>(4);
            late.subscribe("r/#", 0, (topic, message) -> got.add(topic));
            assertEquals("r/2", got.poll(5, TimeUnit.SECONDS));
            assertNull(got.poll(300, TimeUnit.MILLISECONDS), "r/1 was deleted");
        }
    }

    @Test
    @DisplayName("topics: the subscription index's filters, shared ones as $share/g/f, with how many clients hold each")
    void topicsOfTheIndex() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            b.v3("a", true).subscribe(new String[] {"x/+", "y"}, new int[] {0, 0});
            b.v5("b", 0).subscribe(new String[] {"x/+", "$share/g/y"}, new int[] {1, 1});
            Map<String, Object> t = b.json("/api/v1/topics");
            assertEquals(3L, at(t, "total"));
            assertEquals("$share/g/y", at(t, "topics", 0, "filter"));
            assertEquals("x/+", at(t, "topics", 1, "filter"));
            assertEquals(2L, at(t, "topics", 1, "subscribers"));
            assertEquals(1L, at(t, "topics", 2, "subscribers"));
        }
    }

    @Test
    @DisplayName("errors are JSON with the status: 404 for a path, 405 with Allow for a method, 501 for an unknown method, 400 for a bad parameter")
    void errorsAreJson() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            HttpResponse<String> missing = b.send("GET", "/api/v1/nothing");
            assertEquals(404, missing.statusCode());
            assertEquals("application/json; charset=utf-8", missing.headers().firstValue("Content-Type").orElse(""));
            assertEquals("Not Found", at(JsonReader.parse(missing.body()), "error"));
            HttpResponse<String> wrongMethod = b.send("DELETE", "/api/v1/summary");
            assertEquals(405, wrongMethod.statusCode());
            assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""));
            assertEquals(501, b.send("BREW", "/api/v1/summary").statusCode());
            assertEquals(400, b.send("GET", "/api/v1/clients?limit=0").statusCode());
            assertEquals(400, b.send("GET", "/api/v1/clients?offset=-1").statusCode());
            assertEquals(404, b.send("GET", "/nothing/here").statusCode());
            HttpResponse<String> head = b.send("HEAD", "/api/v1/summary");
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
        }
    }

    private static List<Object> ids(Map<String, Object> page) {
        return ((List<?>) at(page, "clients")).stream().map(c -> (Object) at(c, "id")).toList();
    }

    private static List<Object> topics(Map<String, Object> page) {
        return ((List<?>) at(page, "messages")).stream().map(c -> (Object) at(c, "topic")).toList();
    }
}
