package io.checkedmqtt.broker;

import io.checkedmqtt.broker.spectrace.SpecEvents;
import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.V3Client;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code spec_trace} setting: what it records for TLC, and that it costs nothing when off. */
class SpecTraceTest {

    private final BrokerCoreDriver core = new BrokerCoreDriver(new BrokerCore(BrokerConfig.defaults()));
    private final SpecEvents events = new SpecEvents();

    private List<String> in(long connection, Packet packet) {
        ConnectionId id = new ConnectionId(connection);
        List<Effect> effects = core.packetReceived(id, packet, 0);
        events.packet(id, packet, effects, core.state());
        return Arrays.stream(events.take().split("\n")).filter(l -> l.startsWith("E\t")).map(l -> l.substring(2)).toList();
    }

    private void open(long connection) {
        ConnectionId id = new ConnectionId(connection);
        events.other(SpecEvents.Cause.OTHER, core.connectionOpened(id, 0), core.state());
        assertEquals("", events.take(), "an opened socket is no spec action");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.4.0-1] a core step is recorded as the spec's actions: a publish read is ClientPublish + ServerReceivesPublish (a repeat only the latter), a take-over ConnectionLost before ClientConnect, then the resend")
    void stepsAreTheSpecsActions() {
        open(1);
        assertEquals(List.of("ClientConnect\ta\tnone\t0\t0\tfalse\ttrue\tfalse"), in(1, connect(V3, "a", false)));
        assertEquals(List.of("ClientSubscribe\ta\tnone\t1\t0\tfalse\tfalse\tfalse"), in(1, subscribe(1, "t", QoS.AT_LEAST_ONCE)));
        open(2);
        in(2, connect(V3, "b", true));
        assertEquals(List.of("ClientPublish\tb\tm1\t1\t7\tfalse\tfalse\tfalse",
                "ServerReceivesPublish\tb\tm1\t1\t7\tfalse\tfalse\tfalse",
                "ServerSendsPublish\ta\tm1\t1\t1\tfalse\tfalse\tfalse"), in(2, publish("t", "m1", QoS.AT_LEAST_ONCE, 7)));
        Publish again = publish("t", "m1", QoS.AT_LEAST_ONCE, 7);
        Publish dup = new Publish(again.topic(), again.payload(), again.qos(), false, true, 7, again.properties());
        assertEquals("ServerReceivesPublish\tb\tm1\t1\t7\tfalse\tfalse\tfalse", in(2, dup).get(0),
                "a PUBLISH the server read before under that identifier is the client's resend, not a new publish");
        open(3);
        assertEquals(List.of("ConnectionLost\ta\tnone\t0\t0\tfalse\tfalse\tfalse",
                "ClientConnect\ta\tnone\t0\t0\tfalse\ttrue\ttrue",
                "ReconnectResend\ta\tnone\t0\t1\tfalse\tfalse\tfalse",
                "ReconnectResend\ta\tnone\t0\t2\tfalse\tfalse\tfalse"), in(3, connect(V3, "a", false)));
        assertEquals(List.of("ServerReceivesPuback\ta\tnone\t0\t1\tfalse\tfalse\tfalse"), in(3, new PubAck(1)));
    }

    private List<String> fault(long connection, WireFault fault) {
        ConnectionId id = new ConnectionId(connection);
        events.wireFault(id, fault, core.wireFault(id, fault, 0), core.state());
        return Arrays.stream(events.take().split("\n")).filter(l -> l.startsWith("E\t")).map(l -> l.substring(2)).toList();
    }

    @Test
    @DisplayName("v3.1.1 a fault rule's PUBLISH copy is recorded as WireDuplicate; a packet held back, released or read later is no event; a dropped one is Unmapped")
    void wireFaultsAreRecorded() {
        open(1);
        in(1, connect(V3, "a", false));
        in(1, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        open(2);
        in(2, connect(V3, "b", true));
        in(2, publish("t", "m1", QoS.AT_LEAST_ONCE, 7));
        Publish sent = new Publish("t", "m1".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false, false, 1,
                io.checkedmqtt.core.packet.Properties.EMPTY);
        assertEquals(List.of("WireDuplicate\ta\tnone\t0\t1\tfalse\tfalse\tfalse"),
                fault(1, new WireFault.Duplicated(sent.asDuplicate(), "rule", null)));
        assertTrue(io.checkedmqtt.core.broker.SessionRecord.of(core.state(), "a", "t").endsWith("rs |-> {1}]"),
                "the copy's identifier is quarantined, and the record says so");
        assertEquals(List.of(), fault(1, new WireFault.Withheld(sent, false, "rule", null)));
        assertEquals(List.of(), fault(1, new WireFault.Released(sent, "delay over", null)));
        assertEquals(List.of(), fault(1, new WireFault.ReadPaused(100, "rule", null)));
        assertEquals(List.of("Unmapped\ta\ta packet dropped by a fault rule\t0\t0\tfalse\tfalse\tfalse"),
                fault(1, new WireFault.Withheld(sent, true, "rule", null)));
        assertEquals(List.of("Unmapped\tb\ta packet dropped by a fault rule\t0\t0\tfalse\tfalse\tfalse"),
                fault(2, new WireFault.Discarded(new PubAck(1), "rule", null)));
    }

    @Test
    @DisplayName("each step's records end with the sessions it changed, as TLA+ records, and a ';' line")
    void stepsEndWithTheChangedSessions() {
        open(1);
        ConnectionId id = new ConnectionId(1);
        Packet c = connect(V3, "a", false);
        events.packet(id, c, core.packetReceived(id, c, 0), core.state());
        assertEquals("E\tClientConnect\ta\tnone\t0\t0\tfalse\ttrue\tfalse\n"
                + "S\ta\t[held |-> TRUE, keep |-> TRUE, conn |-> TRUE, sub |-> -1, queue |-> <<>>, out |-> <<>>, in2 |-> {}, rs |-> {}]\n"
                + ";\n", events.take());
        Packet ping = new io.checkedmqtt.core.packet.PingReq();
        events.packet(id, ping, core.packetReceived(id, ping, 0), core.state());
        assertEquals("", events.take(), "a PINGREQ changes no session and is no spec action");
    }

    @Test
    @DisplayName("off by default: the loop gets the core itself, no recorder in between")
    void offCostsNothing() throws Exception {
        BrokerLog log = new BrokerLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, false);
        assertSame(core, SpecTracingDriver.wrap(core, BrokerSettings.defaults(), log));
    }

    @Test
    @DisplayName("spec_trace in the config file names the file; the running broker writes every step a Paho client causes")
    void theRunningBrokerRecords(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("broker.conf");
        Path file = dir.resolve("trace").resolve("spec.txt");
        Files.writeString(config, "port 0\nsys_interval 0\nspec_trace " + file + "\n");
        BrokerSettings settings = ConfigFile.load(config, BrokerSettings.defaults());
        assertEquals(file, settings.specTrace());
        try (MqttBroker broker = MqttBroker.start(settings); V3Client paho = new V3Client("tcp://127.0.0.1:" + broker.port(), "rec")) {
            paho.connect(true);
            paho.subscribe("t", 2);
            paho.publish("t", "hello", 2);
            Received got = paho.next();
            assertNotNull(got);
            // Paho hands the message on before it sends PUBCOMP: let the broker read it first
            for (int i = 0; i < 100 && !Files.readString(file).contains("E\tServerReceivesPubcomp\trec\t"); i++) {
                Thread.sleep(50);
            }
            paho.disconnect();
        }
        String text = Files.readString(file);
        assertTrue(text.startsWith(SpecEvents.HEADER), text);
        for (String action : List.of("ClientConnect", "ClientSubscribe", "ClientPublish", "ServerReceivesPublish",
                "ServerSendsPublish", "ServerReceivesPubrec", "ServerReceivesPubrel", "ServerReceivesPubcomp",
                "ClientDisconnect")) {
            assertTrue(text.contains("E\t" + action + "\trec\t"), action + " missing:\n" + text);
        }
        assertTrue(text.endsWith(";\n"), "only whole steps are written:\n" + text);
        assertFalse(text.contains("Unmapped"), text);
    }
}
