package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.broker.clienttest.FaultRule;
import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.conformance.ClientReport;
import io.checkedmqtt.core.packet.ProtocolVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of fault rule against Eclipse Paho 1.2.5, 3.1.1 and 5.0: the fault happens, the
 * client's trace shows it, the broker stays correct (what was routed arrives, nothing twice where
 * the spec forbids it), and the client's conformance report says what the spec says about what
 * Paho did.
 */
class FaultRulesPahoTest {

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        ClientTestSettings testing = ClientTestSettings.NONE.withTraceClients(ClientPatterns.of("*"))
                .withFaults(List.of(
                        FaultRule.parse("drop PUBACK out dpa-* count 1"),
                        FaultRule.parse("drop PUBLISH in dpi-* count 1"),
                        FaultRule.parse("drop SUBACK out dsa-* count 1"),
                        FaultRule.parse("delay PUBREL out dl-* delay 2000"),
                        FaultRule.parse("duplicate PUBLISH out du-* count 1"),
                        FaultRule.parse("disconnect-after PUBREC out dc-* count 1"),
                        FaultRule.parse("pause-read SUBSCRIBE in pr-* delay 1500")));
        broker = new TestBroker(settings -> settings.clientTesting(testing));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private List<String> trace(AsyncPaho client) {
        return broker.broker.clientTesting().trace(client.clientId());
    }

    private String line(AsyncPaho client, String fragment) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            for (String l : trace(client)) {
                if (l.contains(fragment)) {
                    return l;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no trace line with '" + fragment + "' in\n" + String.join("\n", trace(client)));
    }

    private ClientReport report(AsyncPaho client) {
        return broker.broker.clientTesting().report(client.clientId());
    }

    private static long time(String traceLine) {
        return Instant.parse(traceLine.substring(0, traceLine.indexOf(' '))).toEpochMilli();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("drop PUBACK out: Paho's publish stays unacknowledged [MQTT-4.3.2-3 in 5.0] and is not resent on the connection; after a cut it comes again with DUP 1 and the same id [MQTT-4.4.0-1, MQTT-3.3.1-1], delivered, and the report is empty")
    void dropPubAck(ProtocolVersion v) throws Exception {
        AsyncPaho subscriber = broker.asyncPaho(v, "sub-");
        subscriber.connect(true);
        subscriber.subscribe("f/dpa", 1);
        AsyncPaho client = broker.asyncPaho(v, "dpa-");
        client.connect(false);
        AsyncPaho.Delivery delivery = client.publish("f/dpa", "m", 1);
        assertFalse(delivery.await(1_000), "no PUBACK");
        assertTrue(line(client, "fault drop PUBACK id=1: not sent (rule: drop PUBACK out dpa-* count 1)") != null);
        assertEquals("m", subscriber.poll(5_000).payload(), "routed before the PUBACK that was dropped");
        client.cut();
        client.connect(false);
        assertTrue(delivery.await(5_000), "the resend is acknowledged");
        assertTrue(line(client, "in    PUBLISH id=1 qos=1 dup=1") != null);
        Thread.sleep(200);
        assertTrue(report(client).isEmpty(), report(client).summary());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("drop PUBLISH in: the broker never sees it, nothing is routed; after a cut Paho sends it again with DUP 1 and it is delivered once [MQTT-4.4.0-1]")
    void dropPublishIn(ProtocolVersion v) throws Exception {
        AsyncPaho subscriber = broker.asyncPaho(v, "sub-");
        subscriber.connect(true);
        subscriber.subscribe("f/dpi", 1);
        AsyncPaho client = broker.asyncPaho(v, "dpi-");
        client.connect(false);
        AsyncPaho.Delivery delivery = client.publish("f/dpi", "m", 1);
        assertFalse(delivery.await(1_000));
        assertNull(subscriber.poll(200), "never routed");
        line(client, "fault drop PUBLISH id=1 qos=1 dup=0 retain=0 topic=\"f/dpi\"");
        line(client, "\"m\": the broker never sees it (rule: drop PUBLISH in dpi-* count 1)");
        client.cut();
        client.connect(false);
        assertTrue(delivery.await(5_000));
        assertEquals("m", subscriber.poll(5_000).payload());
        assertNull(subscriber.poll(300), "once");
        assertTrue(report(client).isEmpty(), report(client).summary());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("drop SUBACK out: Paho's subscribe does not complete, yet the subscription is in force and messages arrive")
    void dropSubAck(ProtocolVersion v) throws Exception {
        AsyncPaho client = broker.asyncPaho(v, "dsa-");
        client.connect(true);
        boolean completed;
        try {
            client.subscribe("f/dsa", 1, 1_000);
            completed = true;
        } catch (Exception timeout) {
            completed = false;
        }
        assertFalse(completed, "no SUBACK");
        line(client, "fault drop SUBACK id=1");
        AsyncPaho publisher = broker.asyncPaho(v, "pub-");
        publisher.connect(true);
        publisher.publish("f/dsa", "m", 1).await(5_000);
        assertTrue(line(client, "out   PUBLISH id=1 qos=1") != null, "the subscription is in force on the broker");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("delay PUBREL out 2000: the PUBREL, and what follows it, goes out 2 s late; Paho completes the flow, the message is delivered once [MQTT-4.3.3-2 in 3.1.1, MQTT-4.3.3-10 in 5.0]")
    void delayPubRel(ProtocolVersion v) throws Exception {
        AsyncPaho client = broker.asyncPaho(v, "dl-");
        client.connect(true);
        client.subscribe("f/dl", 2);
        AsyncPaho publisher = broker.asyncPaho(v, "pub-");
        publisher.connect(true);
        publisher.publish("f/dl", "m", 2).await(5_000);
        assertNotNull(client.poll(5_000));
        String held = line(client, "fault delay PUBREL id=1: held back 2000 ms with what follows it");
        String sent = line(client, "out   PUBREL id=1");
        assertTrue(time(sent) - time(held) >= 2_000, held + "\n" + sent);
        line(client, "in    PUBCOMP id=1");
        assertNull(client.poll(300), "delivered once");
        assertTrue(report(client).isEmpty(), report(client).summary());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("duplicate PUBLISH out (QoS 2): a copy with DUP 1 follows; Paho 5.0 1.2.5 hands the message on twice, which v5 [MQTT-4.3.3-10] forbids and the wire cannot show; Paho 3.1.1 mostly once [MQTT-4.3.3-2], but twice when the copy comes while it is still handing on the first (seen on the loaded machine); both answer both copies, which the report accepts")
    void duplicatePublish(ProtocolVersion v) throws Exception {
        AsyncPaho client = broker.asyncPaho(v, "du-");
        client.connect(true);
        client.subscribe("f/du", 2);
        AsyncPaho publisher = broker.asyncPaho(v, "pub-");
        publisher.connect(true);
        publisher.publish("f/du", "m", 2).await(5_000);
        assertNotNull(client.poll(5_000));
        line(client, "fault duplicate PUBLISH id=1 qos=2 dup=0");
        line(client, "out   PUBLISH id=1 qos=2 dup=1");
        line(client, "in    PUBCOMP id=1");
        Received second = client.poll(500);
        if (v.isV5()) {
            assertNotNull(second, "Paho 5.0 1.2.5 keeps no received QoS 2 identifier: the copy is handed on again");
        } else if (second != null) {
            // Paho 3.1.1 knows the identifier once it has handed the first copy on; a copy that comes
            // before that is handed on too. Whatever it gets must be that copy, marked as a resend.
            assertTrue(second.duplicate() && second.payload().equals("m"), "only the DUP copy: " + second);
            assertNull(client.poll(300), "no third");
        }
        assertTrue(report(client).isEmpty(), report(client).summary());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("disconnect-after PUBREC out: the connection is cut right after the PUBREC; Paho comes back with its session and sends PUBREL [MQTT-4.4.0-1]: delivered once, report empty")
    void disconnectAfterPubRec(ProtocolVersion v) throws Exception {
        AsyncPaho subscriber = broker.asyncPaho(v, "sub-");
        subscriber.connect(true);
        subscriber.subscribe("f/dc", 2);
        AsyncPaho client = broker.asyncPaho(v, "dc-");
        client.connect(false);
        AsyncPaho.Delivery delivery = client.publish("f/dc", "m", 2);
        assertTrue(client.awaitLost(5_000), "cut");
        line(client, "fault disconnect-after PUBREC id=1: the connection is cut once it is written");
        client.connect(false);
        assertTrue(delivery.await(5_000), "PUBCOMP after the PUBREL Paho sent again");
        assertEquals("m", subscriber.poll(5_000).payload());
        assertNull(subscriber.poll(300), "once");
        Thread.sleep(200);
        assertTrue(report(client).isEmpty(), report(client).summary());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("pause-read SUBSCRIBE in 1500: after the SUBSCRIBE nothing is read for 1.5 s, so the PUBACK of the next publish comes that late; the gap is not counted against the client's Keep Alive")
    void pauseRead(ProtocolVersion v) throws Exception {
        AsyncPaho client = broker.asyncPaho(v, "pr-");
        client.connect(true);
        client.subscribe("f/pr", 0);
        long start = System.nanoTime();
        AsyncPaho.Delivery delivery = client.publish("f/pr", "m", 1);
        assertTrue(delivery.await(5_000));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 1_000, "acknowledged after " + waited + " ms");
        String paused = line(client, "fault pause-read after SUBSCRIBE id=1");
        String over = line(client, "fault pause over: reading again");
        assertTrue(time(over) - time(paused) >= 1_500, paused + "\n" + over);
        assertTrue(report(client).isEmpty(), report(client).summary());
    }
}
