package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.auth.PasswordCheck;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONNECT against the password check, allow_anonymous and max_connections, through BrokerCore. */
class AuthConnectTest {

    static final PasswordCheck ALICE_SECRET = (user, password) ->
            user.equals("alice") && Arrays.equals(password, "secret".getBytes(StandardCharsets.UTF_8));

    static Connect login(ProtocolVersion v, String clientId, String user, String password) {
        Connect c = Packets.connect(v, clientId, true);
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), user,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8), c.will(), c.properties());
    }

    private static BrokerHarness broker(boolean anonymous) {
        return new BrokerHarness(BrokerConfig.builder().authorizer(new Authorizer(anonymous, ALICE_SECRET, null, null))
                .build());
    }

    @ParameterizedTest(name = "{0} user={1} password={2} -> {3}")
    @CsvSource({
            "MQTT_3_1_1, alice, secret, SUCCESS",
            "MQTT_3_1_1, alice, wrong, BAD_USER_NAME_OR_PASSWORD",
            "MQTT_3_1_1, -, -, NOT_AUTHORIZED",
            "MQTT_5, alice, secret, SUCCESS",
            "MQTT_5, alice, wrong, BAD_USER_NAME_OR_PASSWORD",
            "MQTT_5, zed, secret, BAD_USER_NAME_OR_PASSWORD",
            "MQTT_5, -, -, NOT_AUTHORIZED",
    })
    @DisplayName("v3.1.1 [MQTT-3.2.2-4] [MQTT-3.2.2-5] v5 [MQTT-3.2.2-6] [MQTT-3.2.2-7] a refused CONNECT gets CONNACK 0x86/0x87 (3.1.1: 4/5), Session Present 0, then a close")
    void passwords(ProtocolVersion v, String user, String password, ReasonCode expected) {
        BrokerHarness h = broker(false);
        ConnectionId c = h.open();
        h.in(c, login(v, "dev-1", user.equals("-") ? null : user, password.equals("-") ? null : password));
        Connack ack = assertInstanceOf(Connack.class, h.out(c).get(0));
        assertEquals(expected, ack.reasonCode());
        assertEquals(expected != ReasonCode.SUCCESS, h.closedByServer(c));
        assertFalse(ack.sessionPresent());
        assertEquals(expected == ReasonCode.SUCCESS ? 1 : 0, h.state().connectedClients());
    }

    @Test
    @DisplayName("with allow_anonymous true a client without user name connects; a user name is still checked")
    void anonymousAllowed() {
        BrokerHarness h = broker(true);
        ConnectionId a = h.open();
        h.in(a, login(ProtocolVersion.MQTT_5, "anon", null, null));
        assertEquals(ReasonCode.SUCCESS, ((Connack) h.out(a).get(0)).reasonCode());
        ConnectionId b = h.open();
        h.in(b, login(ProtocolVersion.MQTT_5, "bad", "alice", "nope"));
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, ((Connack) h.out(b).get(0)).reasonCode());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-7] v3.1.1 [MQTT-3.2.2-5] max_connections: one client more gets 0x97 (3.1.1: 0x03) and is closed; a take-over of a connected id is not one more")
    void maxConnections() {
        BrokerHarness h = new BrokerHarness(BrokerConfig.builder().limits(new ClientLimits(2, 0, 0)).build());
        for (String id : List.of("a", "b")) {
            ConnectionId c = h.open();
            h.in(c, Packets.connect(ProtocolVersion.MQTT_5, id, true));
            assertEquals(ReasonCode.SUCCESS, ((Connack) h.out(c).get(0)).reasonCode());
        }
        ConnectionId third = h.open();
        h.in(third, Packets.connect(ProtocolVersion.MQTT_5, "c", true));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, ((Connack) h.out(third).get(0)).reasonCode());
        assertTrue(h.closedByServer(third));
        ConnectionId old = h.open();
        h.in(old, Packets.connect(ProtocolVersion.MQTT_3_1_1, "d", true));
        assertEquals(ReasonCode.SERVER_UNAVAILABLE, ((Connack) h.out(old).get(0)).reasonCode(), "3.1.1 return code 3");
        ConnectionId again = h.open();
        h.in(again, Packets.connect(ProtocolVersion.MQTT_5, "a", true));
        List<Packet> got = h.out(again);
        assertEquals(ReasonCode.SUCCESS, ((Connack) got.get(0)).reasonCode(), "taking over 'a' replaces a connection");
        assertEquals(2, h.state().connectedClients());
    }
}
