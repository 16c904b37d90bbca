package io.checkedmqtt.broker;

import io.checkedmqtt.broker.e2e.RawClient;
import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A core that throws on a chosen packet, behind the real shell and real sockets: the failure stays
 * with the connection that sent the packet, nothing the broker held for anyone is lost, and the
 * report it writes replays to the same exception.
 */
class CoreFailureContainmentTest {

    @TempDir
    Path reports;

    private MqttBroker broker;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    private MqttBroker start(FaultyCore core) throws IOException {
        BrokerSettings settings = BrokerSettings.builder().port(0).coreFailureDir(reports).build();
        broker = MqttBroker.start(settings, Clock.system(), core, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static RawClient client(MqttBroker broker, ProtocolVersion v, String id, boolean clean, long expiry)
            throws IOException {
        RawClient c = new RawClient(broker.port());
        Properties p = v.isV5() && expiry > 0 ? RawClient.props(PropertyId.SESSION_EXPIRY_INTERVAL, expiry)
                : Properties.EMPTY;
        c.send(new io.checkedmqtt.core.packet.Connect(v, id, clean, 0, null, null, null, p));
        assertEquals(ReasonCode.SUCCESS, ((Connack) c.receive()).reasonCode());
        return c;
    }

    /** A QoS 1 PUBLISH from {@code pub} arrives at {@code sub}, which acknowledges it. */
    private static void roundTrip(RawClient pub, RawClient sub, String topic, String text, int id) throws IOException {
        pub.send(new Publish(topic, text.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false, false, id,
                Properties.EMPTY));
        Publish got = assertInstanceOf(Publish.class, sub.receive());
        assertEquals(text, new String(got.payload(), StandardCharsets.UTF_8));
        sub.send(new PubAck(got.packetId()));
        assertEquals(new PubAck(id, ReasonCode.SUCCESS, Properties.EMPTY), withoutDiagnostics(pub.receive()));
    }

    private static Packet withoutDiagnostics(Packet p) {
        return p instanceof PubAck a ? new PubAck(a.packetId(), ReasonCode.SUCCESS, Properties.EMPTY) : p;
    }

    @Test
    @DisplayName("v5 a core that throws on one PUBLISH: that client gets DISCONNECT 0x83 and is closed; bystanders' QoS 1 round trips, subscriptions and queued messages are intact; one log line; the report replays to the same exception")
    void failureIsContainedAndReplayable() throws Exception {
        FaultyCore core = new FaultyCore(BrokerConfig.defaults(), FaultyCore.BOOM);
        start(core);
        RawClient sub = client(broker, ProtocolVersion.MQTT_5, "sub", true, 0);
        sub.subscribe(1, "calm/#", QoS.AT_LEAST_ONCE);
        RawClient pub = client(broker, ProtocolVersion.MQTT_3_1_1, "pub", true, 0);
        RawClient away = client(broker, ProtocolVersion.MQTT_5, "away", false, 600);
        away.subscribe(1, "calm/#", QoS.AT_LEAST_ONCE);
        away.close();
        roundTrip(pub, sub, "calm/1", "before", 1);   // queued for "away" as well

        RawClient victim = client(broker, ProtocolVersion.MQTT_5, "victim", false, 600);
        victim.subscribe(1, "calm/#", QoS.AT_LEAST_ONCE);
        victim.send(new Publish("boom/now", new byte[] {1}, QoS.AT_LEAST_ONCE, false, false, 9, Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR)), victim.awaitClose(5_000));

        roundTrip(pub, sub, "calm/2", "after", 2);
        assertEquals(1, broker.stats().coreFailures());
        List<String> errors = logBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("ERROR")).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("client 'victim'") && errors.get(0).contains("planted bug"), errors.get(0));

        RawClient back = client(broker, ProtocolVersion.MQTT_5, "away", false, 600);
        assertEquals(List.of("before", "after"), List.of(text(back.receive()), text(back.receive())),
                "its subscription held and both messages were queued");
        RawClient victimBack = client(broker, ProtocolVersion.MQTT_5, "victim", false, 600);
        pub.send(new Publish("calm/3", "kept".getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY));
        assertEquals(List.of("after", "kept"), List.of(text(victimBack.receive()), text(victimBack.receive())),
                "the victim's own session and subscription survived, and kept what came while it was away");

        Path report;
        try (Stream<Path> files = Files.list(reports)) {
            report = files.findFirst().orElseThrow();
        }
        CoreFailureReplay replay = CoreFailureReplay.load(report);
        Throwable again = replay.replay(new FaultyCore(replay.config(), FaultyCore.BOOM));
        assertInstanceOf(IllegalStateException.class, again);
        assertEquals(replay.failure(), again.toString(), "the same exception, message and all");
        assertNull(replay.replay(new BrokerCore(replay.config())), "the real core takes the same inputs");
        String text = Files.readString(report);
        assertTrue(text.contains("input: packet MQTT_5") && text.contains("connect: 10 "), text);
    }

    @Test
    @DisplayName("v3.1.1 the failing client is closed without a DISCONNECT (3.1.1 has none from the server); a 5.0 CONNECT the core fails on is closed without one too [MQTT-3.14.0-1]")
    void noDisconnectWhereNoneIsAllowed() throws Exception {
        FaultyCore core = new FaultyCore(BrokerConfig.defaults(), p -> FaultyCore.BOOM.test(p)
                || p instanceof io.checkedmqtt.core.packet.Connect c && c.clientId().equals("doomed"));
        start(core);
        RawClient old = client(broker, ProtocolVersion.MQTT_3_1_1, "old", true, 0);
        old.send(new Publish("boom", new byte[0], QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY));
        assertEquals(List.of(), old.awaitClose(5_000));
        RawClient doomed = new RawClient(broker.port());
        doomed.send(new io.checkedmqtt.core.packet.Connect(ProtocolVersion.MQTT_5, "doomed", true, 0, null,
                "secret".getBytes(StandardCharsets.UTF_8), null, Properties.EMPTY));
        assertEquals(List.of(), doomed.awaitClose(5_000));
        assertEquals(2, broker.stats().coreFailures());
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.toList()) {
                assertTrue(!Files.readString(file).contains("73 65 63 72 65 74"), "the password is masked");
            }
        }
    }

    @Test
    @DisplayName("v5 a StackOverflowError in the core is contained like an exception: DISCONNECT 0x83 to that client only, and a report")
    void stackOverflowIsContained() throws Exception {
        start(new FaultyCore(BrokerConfig.defaults(), FaultyCore.BOOM));
        RawClient sub = client(broker, ProtocolVersion.MQTT_5, "sub", true, 0);
        sub.subscribe(1, "calm", QoS.AT_LEAST_ONCE);
        RawClient deep = client(broker, ProtocolVersion.MQTT_5, "deep", true, 0);
        deep.send(new Publish("boom/deep", new byte[0], QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR)), deep.awaitClose(5_000));
        roundTrip(client(broker, ProtocolVersion.MQTT_5, "pub", true, 0), sub, "calm", "still here", 1);
        try (Stream<Path> files = Files.list(reports)) {
            Path report = files.findFirst().orElseThrow();
            CoreFailureReplay replay = CoreFailureReplay.load(report);
            assertInstanceOf(StackOverflowError.class, replay.replay(new FaultyCore(replay.config(), FaultyCore.BOOM)));
        }
    }

    @Test
    @DisplayName("v5 a core that throws on a keep-alive deadline closes the connection the deadline is for, with DISCONNECT 0x80; the report replays it")
    void timerFailureClosesItsConnection() throws Exception {
        FakeClock clock = new FakeClock();
        BrokerSettings settings = BrokerSettings.builder().port(0).coreFailureDir(reports).build();
        broker = MqttBroker.start(settings, clock, new FaultyCore(BrokerConfig.defaults(), p -> false, true),
                new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        RawClient sub = client(broker, ProtocolVersion.MQTT_5, "sub", true, 0);
        sub.subscribe(1, "calm", QoS.AT_LEAST_ONCE);
        RawClient sleepy = new RawClient(broker.port());
        sleepy.send(new io.checkedmqtt.core.packet.Connect(ProtocolVersion.MQTT_5, "sleepy", true, 10, null, null,
                null, Properties.EMPTY));
        assertInstanceOf(Connack.class, sleepy.receive());
        clock.advance(16_000);
        broker.wakeUp();
        assertEquals(List.of(new Disconnect(ReasonCode.UNSPECIFIED_ERROR)), sleepy.awaitClose(5_000));
        roundTrip(client(broker, ProtocolVersion.MQTT_5, "pub", true, 0), sub, "calm", "awake", 1);
        try (Stream<Path> files = Files.list(reports)) {
            CoreFailureReplay replay = CoreFailureReplay.load(files.findFirst().orElseThrow());
            assertInstanceOf(IllegalStateException.class,
                    replay.replay(new FaultyCore(replay.config(), p -> false, true)));
            assertNull(replay.replay(new BrokerCore(replay.config())));
        }
    }

    private static String text(Packet p) {
        return new String(assertInstanceOf(Publish.class, p).payload(), StandardCharsets.UTF_8);
    }
}
