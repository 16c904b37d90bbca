package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static io.checkedmqtt.broker.EventLoopTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the shell knows about a client it learns from the core's effects, over a real socket and
 * the real core: the version it encodes in (a refused 5.0 CONNECT is answered in 5.0) and the
 * client identifier its log lines name (the assigned one when the client sent none).
 */
class AttachedEffectTest {

    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private MqttBroker broker;

    @BeforeEach
    void start() throws Exception {
        BrokerSettings settings = BrokerSettings.builder().port(0).build();
        broker = MqttBroker.start(settings, new FakeClock(), new BrokerCoreDriver(new BrokerCore(settings.core())),
                new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-7] [MQTT-3.2.2-16] the log names the identifier the broker assigned, from connect to disconnect")
    void assignedIdentifierInTheLog() throws Exception {
        try (TextClient client = new TextClient(broker.port())) {
            client.write(TextPackets.bytes(new Connect(V5, "", true, 0, null, null, null, Properties.EMPTY), V5));
            Connack connack = assertInstanceOf(Connack.class, client.receivePacket(V5));
            String assigned = connack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
            assertEquals(BrokerConfig.defaults().assignedClientIdPrefix() + "1", assigned);
            eventually(() -> log().contains("connected conn-1 "), "the connect line");
            assertTrue(log().contains("client '" + assigned + "' MQTT_5"), log());
            client.write(TextPackets.bytes(new Disconnect(ReasonCode.NORMAL_DISCONNECTION), V5));
            assertTrue(client.closedByPeer());
        }
        eventually(() -> log().contains("disconnect conn-1 "), "the disconnect line");
        assertTrue(log().lines().filter(l -> l.contains("disconnect conn-1 ")).allMatch(l -> l.contains("client 'auto-1'")),
                log());
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-1] [MQTT-3.2.2-7] a refused 5.0 CONNECT gets its CONNACK (0x8C) in 5.0, then the close")
    void refusedConnectAnsweredInItsVersion() throws Exception {
        try (TextClient client = new TextClient(broker.port())) {
            client.write(TextPackets.bytes(new Connect(V5, "a", true, 0, null, null, null,
                    Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")), V5));
            Connack connack = assertInstanceOf(Connack.class, client.receivePacket(V5));
            assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, connack.reasonCode());
            assertTrue(client.closedByPeer());
        }
    }
}
