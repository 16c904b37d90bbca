package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ConfigFile;
import io.checkedmqtt.broker.auth.ScramFile;
import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5.0 enhanced authentication with SCRAM-SHA-256 over a socket, against a broker that reads its
 * users from a SCRAM file, with a client written from RFC 5802 ({@link ScramClient}) that checks
 * the server's signature as well.
 */
class ScramEndToEndTest {

    static final String METHOD = "SCRAM-SHA-256";

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        Path file = dir.resolve("scram");
        Files.writeString(file, "# SCRAM users\n" + ScramFile.entry("sensor", "correct horse", new byte[]{7, 7, 7, 7}, 4096)
                + "\n");
        BrokerSettings fromFile = ConfigFile.parse("scram_file " + file + "\n", BrokerSettings.defaults());
        broker = new TestBroker(b -> b.auth(fromFile.auth()));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Properties auth(String method, byte[] data) {
        return Properties.of(new Property.StringProperty(PropertyId.AUTHENTICATION_METHOD, method),
                new Property.BinaryProperty(PropertyId.AUTHENTICATION_DATA, data));
    }

    /** CONNECT, AUTH 0x18 and CONNACK 0x00: returns the connected client. */
    private static RawClient authenticated(String clientId) throws Exception {
        RawClient raw = new RawClient(broker.broker.port());
        ScramClient scram = new ScramClient("sensor", "correct horse", "cnonce-" + clientId);
        raw.send(new Connect(ProtocolVersion.MQTT_5, clientId, true, 0, null, null, null,
                auth(METHOD, scram.clientFirst())));
        Auth challenge = assertInstanceOf(Auth.class, raw.receive());
        raw.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                auth(METHOD, scram.clientFinal(challenge.properties().binary(PropertyId.AUTHENTICATION_DATA), false))));
        Connack ack = assertInstanceOf(Connack.class, raw.receive());
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        assertTrue(scram.serverIsGenuine(ack.properties().binary(PropertyId.AUTHENTICATION_DATA)));
        return raw;
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-2] [MQTT-4.12.0-5] a full exchange: AUTH 0x18 with the method, CONNACK 0x00 with the method and a server signature the client can verify")
    void fullExchange() throws Exception {
        RawClient raw = new RawClient(broker.broker.port());
        ScramClient scram = new ScramClient("sensor", "correct horse", "rOprNGfwEbeRWgbNEkqO");
        raw.send(new Connect(ProtocolVersion.MQTT_5, "full", true, 0, null, null, null, auth(METHOD, scram.clientFirst())));
        Auth challenge = assertInstanceOf(Auth.class, raw.receive());
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
        assertEquals(METHOD, challenge.properties().string(PropertyId.AUTHENTICATION_METHOD));
        raw.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                auth(METHOD, scram.clientFinal(challenge.properties().binary(PropertyId.AUTHENTICATION_DATA), false))));
        Connack ack = assertInstanceOf(Connack.class, raw.receive());
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        assertEquals(METHOD, ack.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertTrue(scram.serverIsGenuine(ack.properties().binary(PropertyId.AUTHENTICATION_DATA)));
        raw.close();
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-4] a wrong proof gets CONNACK 0x87 and the connection is closed")
    void wrongProof() throws Exception {
        try (RawClient raw = new RawClient(broker.broker.port())) {
            ScramClient scram = new ScramClient("sensor", "correct horse", "abc");
            raw.send(new Connect(ProtocolVersion.MQTT_5, "wrong", true, 0, null, null, null,
                    auth(METHOD, scram.clientFirst())));
            Auth challenge = (Auth) raw.receive();
            raw.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                    auth(METHOD, scram.clientFinal(challenge.properties().binary(PropertyId.AUTHENTICATION_DATA), true))));
            List<Packet> before = raw.awaitClose(3_000);
            assertEquals(ReasonCode.NOT_AUTHORIZED, ((Connack) before.get(0)).reasonCode());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.1-1] [MQTT-4.12.0-5] re-authentication on a live connection: AUTH 0x19, 0x18, then AUTH 0x00 with a genuine signature; the client keeps working")
    void reauthentication() throws Exception {
        try (RawClient raw = authenticated("re")) {
            ScramClient again = new ScramClient("sensor", "correct horse", "second-round");
            raw.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, again.clientFirst())));
            Auth challenge = assertInstanceOf(Auth.class, raw.receive());
            assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
            raw.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                    auth(METHOD, again.clientFinal(challenge.properties().binary(PropertyId.AUTHENTICATION_DATA), false))));
            Auth done = assertInstanceOf(Auth.class, raw.receive());
            assertEquals(ReasonCode.SUCCESS, done.reasonCode());
            assertEquals(METHOD, done.properties().string(PropertyId.AUTHENTICATION_METHOD));
            assertTrue(again.serverIsGenuine(done.properties().binary(PropertyId.AUTHENTICATION_DATA)));
            raw.send(new io.checkedmqtt.core.packet.Subscribe(1, List.of(new io.checkedmqtt.core.packet.Subscription("a",
                    io.checkedmqtt.core.packet.SubscriptionOptions.of(QoS.AT_MOST_ONCE))), Properties.EMPTY));
            assertInstanceOf(SubAck.class, raw.receive());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.1-2] a re-authentication with a wrong proof gets DISCONNECT 0x87 and a close")
    void failedReauthentication() throws Exception {
        try (RawClient raw = authenticated("re-wrong")) {
            ScramClient again = new ScramClient("sensor", "correct horse", "second-round");
            raw.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, again.clientFirst())));
            Auth challenge = (Auth) raw.receive();
            raw.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                    auth(METHOD, again.clientFinal(challenge.properties().binary(PropertyId.AUTHENTICATION_DATA), true))));
            assertEquals(ReasonCode.NOT_AUTHORIZED, ((Disconnect) raw.awaitClose(3_000).get(0)).reasonCode());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.1-1] [MQTT-4.12.1-2] a re-authentication that changes the method gets DISCONNECT 0x8C and a close")
    void changedMethod() throws Exception {
        try (RawClient raw = authenticated("re-method")) {
            raw.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth("SCRAM-SHA-512", new byte[]{'n', ',', ','})));
            assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ((Disconnect) raw.awaitClose(3_000).get(0)).reasonCode());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-1] an Authentication Method the broker does not offer still gets CONNACK 0x8C")
    void unknownMethod() throws Exception {
        try (RawClient raw = new RawClient(broker.broker.port())) {
            raw.send(new Connect(ProtocolVersion.MQTT_5, "krb", true, 0, null, null, null, auth("GS2-KRB5", new byte[0])));
            assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ((Connack) raw.awaitClose(3_000).get(0)).reasonCode());
        }
    }
}
