package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.auth.ScramCredential;
import io.checkedmqtt.core.auth.ScramUsers;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
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
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5.0 enhanced authentication through BrokerCore, with the messages of RFC 7677's test vector
 * (user "user", password "pencil"; the harness hands the core the RFC's server nonce).
 */
class EnhancedAuthFlowTest {

    static final String METHOD = "SCRAM-SHA-256";
    static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private BrokerHarness h;

    static ScramCredential pencil() throws Exception {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("pencil".toCharArray(), salt, 4096, 256)).getEncoded();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = mac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredential(salt, 4096, MessageDigest.getInstance("SHA-256").digest(clientKey), serverKey);
    }

    @BeforeEach
    void scramBroker() throws Exception {
        Authorizer a = new Authorizer(false, null, null, new ScramUsers(Map.of("user", pencil()), new byte[32]));
        h = new BrokerHarness(BrokerConfig.builder().authorizer(a).build());
        h.fixNonce(SERVER_NONCE);
    }

    static Properties auth(String method, String data) {
        Properties p = Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD, method);
        return data == null ? p : p.with(new Property.BinaryProperty(PropertyId.AUTHENTICATION_DATA,
                data.getBytes(StandardCharsets.UTF_8)));
    }

    static Connect connect(String method, String data) {
        return new Connect(ProtocolVersion.MQTT_5, "dev-1", true, 0, null, null, null, auth(method, data));
    }

    static String data(Properties p) {
        return new String(p.binary(PropertyId.AUTHENTICATION_DATA), StandardCharsets.UTF_8);
    }

    private ConnectionId authenticated() {
        ConnectionId c = h.open();
        h.in(c, connect(METHOD, CLIENT_FIRST));
        h.out(c);
        h.in(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, CLIENT_FINAL)));
        assertEquals(ReasonCode.SUCCESS, ((Connack) h.out(c).get(0)).reasonCode());
        return c;
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-2] [MQTT-4.12.0-5] CONNECT with SCRAM-SHA-256: AUTH 0x18 with the method and server-first, then CONNACK 0x00 with the method and the server's signature")
    void fullExchange() {
        ConnectionId c = h.open();
        h.in(c, connect(METHOD, CLIENT_FIRST));
        Auth challenge = assertInstanceOf(Auth.class, h.out(c).get(0));
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
        assertEquals(METHOD, challenge.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(SERVER_FIRST, data(challenge.properties()));
        assertEquals(0, h.state().connectedClients(), "not attached until the exchange ends");

        h.in(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, CLIENT_FINAL)));
        Connack ack = assertInstanceOf(Connack.class, h.out(c).get(0));
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        assertEquals(METHOD, ack.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(SERVER_FINAL, data(ack.properties()));
        assertEquals("user", h.state().identity("dev-1").username());
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-4] a wrong proof gets CONNACK 0x87 and a close")
    void wrongProof() {
        ConnectionId c = h.open();
        h.in(c, connect(METHOD, CLIENT_FIRST));
        h.out(c);
        h.in(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, CLIENT_FINAL.replace("p=dHzb", "p=dHzc"))));
        assertEquals(ReasonCode.NOT_AUTHORIZED, ((Connack) h.out(c).get(0)).reasonCode());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-1] a method that is not offered gets CONNACK 0x8C; another packet during the exchange closes")
    void unknownMethodAndStrayPacket() {
        ConnectionId c = h.open();
        h.in(c, connect("GS2-KRB5", "x"));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ((Connack) h.out(c).get(0)).reasonCode());
        assertTrue(h.closedByServer(c));
        ConnectionId d = h.open();
        h.in(d, connect(METHOD, CLIENT_FIRST));
        h.out(d);
        h.in(d, Packets.subscribe(1, "a", QoS.AT_MOST_ONCE));
        assertTrue(h.closedByServer(d));
        assertEquals(0, h.state().connectedClients());
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-6] without an Authentication Method in CONNECT the server sends no AUTH and no method in CONNACK; anonymous is refused here")
    void noMethod() {
        ConnectionId c = h.open();
        h.in(c, new Connect(ProtocolVersion.MQTT_5, "x", true, 0, null, null, null, Properties.EMPTY));
        List<Packet> got = h.out(c);
        assertEquals(1, got.size());
        Connack ack = (Connack) got.get(0);
        assertEquals(ReasonCode.NOT_AUTHORIZED, ack.reasonCode());
        assertFalse(ack.properties().contains(PropertyId.AUTHENTICATION_METHOD));
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.1-1] [MQTT-4.12.0-5] re-authentication: AUTH 0x19, AUTH 0x18, then AUTH 0x00 with the method and signature; the connection stays")
    void reauthentication() {
        ConnectionId c = authenticated();
        h.in(c, new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, CLIENT_FIRST)));
        Auth challenge = (Auth) h.out(c).get(0);
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
        assertEquals(SERVER_FIRST, data(challenge.properties()));
        h.in(c, Packets.subscribe(1, "a", QoS.AT_MOST_ONCE));
        assertEquals(1, h.out(c).size(), "other packets are served during the exchange");
        h.in(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, CLIENT_FINAL)));
        Auth done = (Auth) h.out(c).get(0);
        assertEquals(ReasonCode.SUCCESS, done.reasonCode());
        assertEquals(METHOD, done.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(SERVER_FINAL, data(done.properties()));
        assertFalse(h.isClosed(c));
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.1-2] a failed re-authentication gets DISCONNECT 0x87 and a close")
    void failedReauthentication() {
        ConnectionId c = authenticated();
        h.in(c, new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, CLIENT_FIRST)));
        h.out(c);
        h.in(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, CLIENT_FINAL.replace("p=dHzb", "p=dHzc"))));
        assertEquals(ReasonCode.NOT_AUTHORIZED, ((Disconnect) h.out(c).get(0)).reasonCode());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.1-1] [MQTT-4.12.1-2] re-authentication with another method gets DISCONNECT 0x8C and a close")
    void changedMethod() {
        ConnectionId c = authenticated();
        h.in(c, new Auth(ReasonCode.RE_AUTHENTICATE, auth("SCRAM-SHA-1", CLIENT_FIRST)));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ((Disconnect) h.out(c).get(0)).reasonCode());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 AUTH 0x18 with no re-authentication running, or on a connection without a method, is a protocol error")
    void strayAuth() {
        ConnectionId c = authenticated();
        h.in(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, CLIENT_FINAL)));
        assertEquals(ReasonCode.PROTOCOL_ERROR, ((Disconnect) h.out(c).get(0)).reasonCode());
    }
}
