package io.checkedmqtt.broker.observe;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser: headless Chromium, driven over the DevTools protocol, opens the
 * dashboard, finds a Paho client the test connected, opens its page, sees its subscription and its
 * last packets, and watches a message the test publishes arrive in the live view (which speaks MQTT over WebSocket to
 * the same port). Screenshots go to {@code target/dashboard/}.
 */
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    static final Path SCREENSHOTS = Path.of("target", "dashboard");

    @Test
    @DisplayName("Chromium: the clients table lists a Paho client, its page shows its subscription, the live view shows a message published to it")
    void browserSeesClientSubscriptionAndLiveMessage() throws Exception {
        try (ObservedBroker broker = new ObservedBroker(settings -> settings.sysIntervalSeconds(1));
             Chromium chromium = Chromium.launch()) {
            MqttClient sensor = broker.v5("kitchen-display", 3600);
            sensor.subscribe("sensors/+/temperature", 1);
            MqttClient publisher = broker.v5("thermometer", 0);
            publisher.publish("sensors/hall/temperature", message("19.0 °C", true));
            String base = broker.httpBase + "/";

            chromium.navigate(base + "#/");
            chromium.waitFor("the overview's numbers", "document.querySelector('#overview-cards .value')"
                    + " && document.getElementById('overview-cards').innerText.includes('Connected clients')", WAIT);
            for (int i = 0; i < 120; i++) {   // six seconds of traffic for the chart, rising
                publisher.publish("sensors/hall/humidity", message("4" + (i % 10) + " %", false));
                Thread.sleep(50 - i / 3);
            }
            chromium.waitFor("messages on the chart", "document.getElementById('overview-cards').innerText.includes('121 in all')", WAIT);
            chromium.screenshot(SCREENSHOTS.resolve("overview.png"));

            chromium.navigate(base + "#/clients");
            chromium.waitFor("kitchen-display in the clients table",
                    "document.getElementById('clients-table').innerText.includes('kitchen-display')", WAIT);
            chromium.screenshot(SCREENSHOTS.resolve("clients.png"));

            chromium.evaluate("document.querySelector('a.client-link[href=\"#/clients/kitchen-display\"]').click()");
            chromium.waitFor("the client's subscription on its page",
                    "document.getElementById('client-subscriptions').innerText.includes('sensors/+/temperature')", WAIT);
            assertEquals("kitchen-display", chromium.evaluate("document.getElementById('client-id').textContent"));
            chromium.waitFor("the client's last packets: CONNACK, its SUBSCRIBE and SUBACK, the retained message's PUBLISH out",
                    "(t => t.includes('SUBSCRIBE') && t.includes('SUBACK') && t.includes('PUBLISH')"
                    + " && t.includes('sensors/hall/temperature') && t.includes('0x01 Granted QoS 1')"
                    + " && t.includes('0x00 Success'))"
                    + "(document.getElementById('client-packets').innerText)", WAIT);
            chromium.screenshot(SCREENSHOTS.resolve("client.png"));

            chromium.evaluate("[...document.querySelectorAll('a')].find(a => a.textContent.startsWith('Watch sensors/+/temperature')).click()");
            chromium.waitFor("the live view subscribed", "document.getElementById('live-status').textContent"
                    + " === 'subscribed to sensors/+/temperature'", WAIT);
            chromium.waitFor("the retained message first", "document.getElementById('live-messages').innerText.includes('19.0 °C')", WAIT);
            publisher.publish("sensors/kitchen/temperature", message("21.5 °C", false));
            chromium.waitFor("the live message", "document.getElementById('live-messages').innerText"
                    + ".includes('sensors/kitchen/temperature') && document.getElementById('live-messages').innerText.includes('21.5 °C')", WAIT);
            chromium.screenshot(SCREENSHOTS.resolve("live.png"));

            List<?> dashboards = (List<?>) JsonReader.at(broker.json("/api/v1/clients?search=dashboard-"), "clients");
            assertEquals(1, dashboards.size(), "the live view is an MQTT client of the broker, routed to like any");

            chromium.emulatePhone(true);
            chromium.navigate(base + "#/clients/kitchen-display");
            chromium.waitFor("the client page on a phone",
                    "document.getElementById('client-subscriptions').innerText.includes('sensors/+/temperature')", WAIT);
            chromium.screenshot(SCREENSHOTS.resolve("phone-client.png"));
            Object overflow = chromium.evaluate("document.documentElement.scrollWidth <= window.innerWidth");
            assertEquals(Boolean.TRUE, overflow, "on a phone the page fits the screen's width");
        }
        for (String name : List.of("overview.png", "clients.png", "client.png", "live.png", "phone-client.png")) {
            byte[] png = Files.readAllBytes(SCREENSHOTS.resolve(name));
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', name + " is a PNG");
        }
    }

    @Test
    @DisplayName("Chromium with a password file: the dashboard with Basic credentials; the live view asks for the MQTT password, then shows messages")
    void browserWithPasswordFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "admin:" + io.checkedmqtt.broker.auth.PasswordHash.pbkdf2(
                "secret".getBytes(StandardCharsets.UTF_8), "saltsaltsaltsalt".getBytes(StandardCharsets.UTF_8), 101)
                .encoded() + "\n");
        var fromFile = io.checkedmqtt.broker.ConfigFile.parse("password_file " + file + "\n",
                io.checkedmqtt.broker.BrokerSettings.defaults());
        try (ObservedBroker broker = new ObservedBroker(settings -> settings.auth(fromFile.auth()));
             Chromium chromium = Chromium.launch()) {
            chromium.call("Network.enable", "{}");
            String basic = java.util.Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8));
            chromium.call("Network.setExtraHTTPHeaders", "{\"headers\":{\"Authorization\":\"Basic " + basic + "\"}}");
            chromium.navigate(broker.httpBase + "/#/live?filter=alerts%2F%23");
            chromium.waitFor("the live view asking for credentials",
                    "!document.getElementById('live-login').hidden", WAIT);
            chromium.evaluate("(() => { const f = document.getElementById('live-login');"
                    + " f.elements.username.value = 'admin'; f.elements.password.value = 'secret';"
                    + " f.querySelector('button').click(); })()");
            chromium.waitFor("the live view subscribed",
                    "document.getElementById('live-status').textContent === 'subscribed to alerts/#'", WAIT);
            org.eclipse.paho.mqttv5.client.MqttClient publisher = new org.eclipse.paho.mqttv5.client.MqttClient(
                    broker.mqttUri, "alarm", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            var options = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
            options.setUserName("admin");
            options.setPassword("secret".getBytes(StandardCharsets.UTF_8));
            publisher.connect(options);
            broker.track(() -> {
                publisher.disconnect();
                publisher.close();
            });
            publisher.publish("alerts/door", message("open", false));
            chromium.waitFor("the message", "document.getElementById('live-messages').innerText.includes('alerts/door')", WAIT);
        }
    }

    private static MqttMessage message(String text, boolean retained) {
        MqttMessage message = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        return message;
    }
}
