package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.Clock;
import io.checkedmqtt.broker.MqttBroker;
import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's trace read as text: the exact lines of a full QoS 2 exchange both ways (it is a user
 * interface), in the file and in memory alike; a client that is not traced leaves no file.
 */
class TraceEndToEndTest {

    private static final long START = Instant.parse("2026-12-06T09:00:00Z").toEpochMilli();

    private final AtomicLong time = new AtomicLong(START);
    private final Clock clock = time::get;

    private MqttBroker start(Path directory) throws Exception {
        return MqttBroker.start(BrokerSettings.builder().port(0).logConnections(false)
                .clientTesting(ClientTestSettings.NONE.withTraceClients(ClientPatterns.of("dev-*"))
                        .withTraceDirectory(directory)).build(), clock);
    }

    /** The client's next packet is read at {@code START + millis}. */
    private void at(long millis) {
        time.set(START + millis);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-4.3.3-1, MQTT-4.3.3-2] v5 [MQTT-4.3.3-1 ... -12] the trace of a full QoS 2 exchange, in and out, line for line")
    void qos2ExchangeTrace(ProtocolVersion v, @TempDir Path directory) throws Exception {
        try (MqttBroker broker = start(directory); RawClient dev = new RawClient(broker.port())) {
            dev.handshake(v, "dev-1", 0, Properties.EMPTY);
            at(10);
            dev.subscribe(1, "q/#", QoS.EXACTLY_ONCE);
            at(20);
            dev.send(new Publish("q/a", "hello".getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, false, false, 7,
                    Properties.EMPTY));
            assertEquals(7, ((PubRec) dev.receive()).packetId());
            Publish delivered = (Publish) dev.receive();
            at(30);
            dev.send(new PubRel(7));
            assertEquals(7, ((PubComp) dev.receive()).packetId());
            at(40);
            dev.send(new PubRec(delivered.packetId()));
            assertEquals(1, ((PubRel) dev.receive()).packetId());
            at(50);
            dev.send(new PubComp(1));
            awaitLines(broker, "dev-1", 13);   // no answer to wait for: the clock moves once the broker has read it
            at(60);
            dev.send(Disconnect.NORMAL);
            dev.awaitClose(5_000);
            List<String> lines = awaitLines(broker, "dev-1", 16);
            String connack = v.isV5() ? "CONNACK session-present=0 rc=0x00 props={topic-alias-maximum=10,"
                    + " wildcard-subscription-available=1, subscription-identifier-available=1,"
                    + " shared-subscription-available=1}" : "CONNACK session-present=0 rc=0x00";
            String version = v.isV5() ? "5.0" : "3.1.1";
            List<String> expected = List.of(
                    "2026-12-06T09:00:00.000Z dev-1 conn-1 in    CONNECT " + version
                            + " client-id=\"dev-1\" clean=1 keep-alive=0",
                    "2026-12-06T09:00:00.000Z dev-1 conn-1 out   " + connack,
                    "2026-12-06T09:00:00.010Z dev-1 conn-1 in    SUBSCRIBE id=1 filters=[\"q/#\" qos=2]",
                    "2026-12-06T09:00:00.010Z dev-1 conn-1 out   SUBACK id=1 codes=[0x02]",
                    "2026-12-06T09:00:00.020Z dev-1 conn-1 in    PUBLISH id=7 qos=2 dup=0 retain=0 topic=\"q/a\""
                            + " payload=5 \"hello\"",
                    "2026-12-06T09:00:00.020Z dev-1 conn-1 core  routed qos=2 retain=0 topic=\"q/a\" payload=5"
                            + " \"hello\" (to 1 subscription)",
                    "2026-12-06T09:00:00.020Z dev-1 conn-1 out   PUBREC id=7",
                    "2026-12-06T09:00:00.020Z dev-1 conn-1 out   PUBLISH id=1 qos=2 dup=0 retain=0 topic=\"q/a\""
                            + " payload=5 \"hello\"",
                    "2026-12-06T09:00:00.030Z dev-1 conn-1 in    PUBREL id=7",
                    "2026-12-06T09:00:00.030Z dev-1 conn-1 out   PUBCOMP id=7",
                    "2026-12-06T09:00:00.040Z dev-1 conn-1 in    PUBREC id=1",
                    "2026-12-06T09:00:00.040Z dev-1 conn-1 out   PUBREL id=1",
                    "2026-12-06T09:00:00.050Z dev-1 conn-1 in    PUBCOMP id=1",
                    "2026-12-06T09:00:00.060Z dev-1 conn-1 in    DISCONNECT",
                    "2026-12-06T09:00:00.060Z dev-1 conn-1 net   close: DISCONNECT from client (0x00 Normal"
                            + " disconnection)",
                    "2026-12-06T09:00:00.060Z dev-1 conn-1 check report: no breach");
            assertEquals(expected, lines);
            assertEquals(expected, awaitFile(directory.resolve("dev-1.trace"), expected.size()));
        }
    }

    @Test
    @DisplayName("only traced clients leave a trace; an id with a '/' gets a file name that is safe")
    void onlyTracedClients(@TempDir Path directory) throws Exception {
        try (MqttBroker broker = start(directory); RawClient other = new RawClient(broker.port());
             RawClient slashed = new RawClient(broker.port())) {
            other.handshake(ProtocolVersion.MQTT_3_1_1, "other");
            slashed.handshake(ProtocolVersion.MQTT_3_1_1, "dev-a/b");
            slashed.send(new Publish("x", new byte[0], QoS.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY));
            assertEquals(1, ((PubAck) slashed.receive()).packetId());
            awaitLines(broker, "dev-a/b", 5);
            assertTrue(broker.clientTesting().trace("other").isEmpty());
            assertTrue(Files.exists(directory.resolve("dev-a%2Fb.trace")));
            try (var files = Files.list(directory)) {
                assertEquals(1, files.count(), "one file: the traced client's");
            }
            assertFalse(Files.exists(directory.resolve("other.trace")));
        }
    }

    static List<String> awaitLines(MqttBroker broker, String clientId, int count) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        List<String> lines = broker.clientTesting().trace(clientId);
        while (lines.size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
            lines = broker.clientTesting().trace(clientId);
        }
        return lines;
    }

    static List<String> awaitFile(Path file, int count) throws Exception {
        long end = System.nanoTime() + 5_000_000_000L;
        List<String> lines = List.of();
        while (System.nanoTime() < end) {
            if (Files.exists(file)) {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() >= count) {
                    break;
                }
            }
            Thread.sleep(10);
        }
        return lines;
    }
}
