package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * What the shell learns from a CONNECT it learns from effects, never from the packet: the client
 * identifier (the assigned one included) and the version every answer is encoded in, stated once
 * and before the CONNACK, whether the CONNECT is accepted, refused or malformed. (The harness
 * itself fails any Send before the version is stated.)
 */
class ConnectFactsTest {

    private final BrokerHarness h = new BrokerHarness();

    /** The effects the core returned for {@code c}'s CONNECT: the fact first, then the CONNACK. */
    private List<Effect> connectEffects(ConnectionId c, Runnable input) {
        int from = h.allEffects().size();
        input.run();
        return h.allEffects().subList(from, h.allEffects().size()).stream()
                .filter(e -> e instanceof Effect.Attached || e instanceof Effect.Refused
                        || e instanceof Effect.Send s && s.connection().equals(c) && s.packet() instanceof Connack)
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.ALL)
    @DisplayName("an accepted CONNECT: Attached with the client identifier and the version, before the CONNACK")
    void accepted(ProtocolVersion version) {
        ConnectionId c = h.open();
        List<Effect> effects = connectEffects(c, () -> h.in(c, connect(version, "client-a", true)));
        assertEquals(new Effect.Attached(c, "client-a", version), effects.get(0));
        assertEquals(ReasonCode.SUCCESS, ((Connack) ((Effect.Send) effects.get(1)).packet()).reasonCode());
        assertEquals(2, effects.size(), effects.toString());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-7] [MQTT-3.2.2-16] an empty client identifier: Attached names the identifier the server assigned")
    void assignedIdentifier() {
        ConnectionId c = h.open();
        List<Effect> effects = connectEffects(c, () -> h.in(c, connect(V5, "", true)));
        Effect.Attached attached = assertInstanceOf(Effect.Attached.class, effects.get(0));
        Connack connack = (Connack) ((Effect.Send) effects.get(1)).packet();
        assertEquals(connack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER), attached.clientId());
        assertEquals(V5, attached.version());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.3-9] v5 [MQTT-4.12.0-1] a refused CONNECT: Refused with the version it stated, then the CONNACK in it")
    void refused() {
        ConnectionId v3 = h.open();
        List<Effect> effects = connectEffects(v3, () -> h.in(v3, connect(V3, "", false)));
        assertEquals(new Effect.Refused(v3, V3), effects.get(0));
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ((Connack) ((Effect.Send) effects.get(1)).packet()).reasonCode());

        ConnectionId v5 = h.open();
        Connect badMethod = new Connect(V5, "a", true, 0, null, null, null,
                Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
        effects = connectEffects(v5, () -> h.in(v5, badMethod));
        assertEquals(new Effect.Refused(v5, V5), effects.get(0));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ((Connack) ((Effect.Send) effects.get(1)).packet()).reasonCode());
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] a malformed CONNECT that states 5.0: Refused(5.0), then CONNACK 0x81; an unknown level is answered as 3.1.1")
    void malformed() {
        ConnectionId v5 = h.open();
        List<Effect> effects = connectEffects(v5, () -> h.malformed(v5, ReasonCode.MALFORMED_PACKET, V5));
        assertEquals(List.of(new Effect.Refused(v5, V5),
                new Effect.Send(v5, new Connack(false, ReasonCode.MALFORMED_PACKET, Properties.EMPTY))), effects);

        ConnectionId unknown = h.open();
        effects = connectEffects(unknown, () -> h.malformed(unknown, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, null));
        assertEquals(new Effect.Refused(unknown, ProtocolVersion.MQTT_3_1_1), effects.get(0));

        ConnectionId v3 = h.open();
        effects = connectEffects(v3, () -> h.malformed(v3, ReasonCode.MALFORMED_PACKET, V3));
        assertEquals(List.of(), effects, "a malformed 3.1.1 CONNECT gets no CONNACK, so no version is needed");
    }
}
