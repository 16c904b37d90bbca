package io.checkedmqtt.core.packet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trace line of every packet type, character for character: it is a user interface. */
class PacketTextTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("PUBLISH: id, flags, QoS, topic, properties, payload size and first bytes")
    void publish() {
        assertEquals("PUBLISH id=7 qos=2 dup=1 retain=0 topic=\"a/b\" payload=5 \"hello\"",
                PacketText.of(new Publish("a/b", bytes("hello"), QoS.EXACTLY_ONCE, false, true, 7, Properties.EMPTY)));
        assertEquals("PUBLISH qos=0 dup=0 retain=1 topic=\"t\" payload=0",
                PacketText.of(new Publish("t", new byte[0], QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY)));
        Properties props = Properties.of(new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60),
                new Property.UserProperty("k", "v"), new Property.BinaryProperty(PropertyId.CORRELATION_DATA,
                        new byte[3]));
        // User Properties come after the others: the order in which Properties keeps them
        assertEquals("PUBLISH id=1 qos=1 dup=0 retain=0 topic=\"x\" props={message-expiry-interval=60, "
                        + "correlation-data=(3 bytes), user-property=\"k\":\"v\"} payload=2 0x00ff",
                PacketText.of(new Publish("x", new byte[] {0, (byte) 0xFF}, QoS.AT_LEAST_ONCE, false, false, 1,
                        props)));
    }

    @Test
    @DisplayName("a payload shows its first 32 bytes, then ...; quotes, backslashes and control characters are escaped")
    void payloadPreviewAndEscapes() {
        String long40 = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";
        assertEquals("PUBLISH qos=0 dup=0 retain=0 topic=\"q\\\"\\\\\\n\\x01\" payload=40 \"abcdefghijklmnopqrstuvwxyz012345\"...",
                PacketText.of(new Publish("q\"\\\n\u0001", bytes(long40), QoS.AT_MOST_ONCE, false, false, 0,
                        Properties.EMPTY)));
        assertEquals("PUBLISH qos=0 dup=0 retain=0 topic=\"t\" payload=3 \"a\\tb\"",
                PacketText.of(new Publish("t", bytes("a\tb"), QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY)));
        String topic = "t".repeat(PacketText.MAX_STRING + 1);
        assertEquals("PUBLISH qos=0 dup=0 retain=0 topic=\"" + "t".repeat(PacketText.MAX_STRING) + "\"... payload=0",
                PacketText.of(new Publish(topic, new byte[0], QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY)));
    }

    @Test
    @DisplayName("acknowledgements show the reason code only when it is not 0x00")
    void acknowledgements() {
        assertEquals("PUBACK id=3", PacketText.of(new PubAck(3)));
        assertEquals("PUBACK id=3 rc=0x10 \"No matching subscribers\"",
                PacketText.of(new PubAck(3, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY)));
        assertEquals("PUBREC id=4", PacketText.of(new PubRec(4)));
        assertEquals("PUBREL id=4 rc=0x92 \"Packet Identifier not found\"",
                PacketText.of(new PubRel(4, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY)));
        assertEquals("PUBCOMP id=65535", PacketText.of(new PubComp(65_535)));
    }

    @Test
    @DisplayName("CONNECT without its password; CONNACK; DISCONNECT; AUTH; pings")
    void connectionPackets() {
        Will will = new Will("w", bytes("bye"), QoS.AT_LEAST_ONCE, true, Properties.EMPTY);
        assertEquals("CONNECT 5.0 client-id=\"dev-1\" clean=1 keep-alive=60 user=\"u\" password=(6 bytes)"
                        + " props={session-expiry-interval=300} will={qos=1 retain=1 topic=\"w\" payload=3 \"bye\"}",
                PacketText.of(new Connect(ProtocolVersion.MQTT_5, "dev-1", true, 60, "u", bytes("secret"), will,
                        Properties.of(new Property.IntegerProperty(PropertyId.SESSION_EXPIRY_INTERVAL, 300)))));
        assertEquals("CONNECT 3.1.1 client-id=\"\" clean=0 keep-alive=0",
                PacketText.of(new Connect(ProtocolVersion.MQTT_3_1_1, "", false, 0, null, null, null,
                        Properties.EMPTY)));
        assertEquals("CONNACK session-present=1 rc=0x00", PacketText.of(new Connack(true, ReasonCode.SUCCESS,
                Properties.EMPTY)));
        assertEquals("CONNACK session-present=0 rc=0x87 \"Not authorized\"",
                PacketText.of(new Connack(false, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY)));
        assertEquals("DISCONNECT", PacketText.of(Disconnect.NORMAL));
        assertEquals("DISCONNECT rc=0x8e \"Session taken over\"",
                PacketText.of(new Disconnect(ReasonCode.SESSION_TAKEN_OVER)));
        assertEquals("AUTH rc=0x18 \"Continue authentication\" props={authentication-method=\"SCRAM-SHA-256\","
                        + " authentication-data=(32 bytes)}",
                PacketText.of(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.of(
                        new Property.StringProperty(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256"),
                        new Property.BinaryProperty(PropertyId.AUTHENTICATION_DATA, new byte[32])))));
        assertEquals("PINGREQ", PacketText.of(PingReq.INSTANCE));
        assertEquals("PINGRESP", PacketText.of(PingResp.INSTANCE));
    }

    @Test
    @DisplayName("SUBSCRIBE with its options, SUBACK and UNSUBACK codes, UNSUBSCRIBE")
    void subscriptions() {
        Subscribe sub = new Subscribe(2, List.of(
                new Subscription("a/+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                new Subscription("b", new SubscriptionOptions(QoS.EXACTLY_ONCE, true, true,
                        SubscriptionOptions.RetainHandling.DO_NOT_SEND))), Properties.EMPTY);
        assertEquals("SUBSCRIBE id=2 filters=[\"a/+\" qos=1, \"b\" qos=2 nl rap rh=2]", PacketText.of(sub));
        assertEquals("SUBACK id=2 codes=[0x01, 0x80]", PacketText.of(new SubAck(2,
                List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY)));
        assertEquals("UNSUBSCRIBE id=3 filters=[\"a/+\", \"b\"]",
                PacketText.of(new Unsubscribe(3, List.of("a/+", "b"), Properties.EMPTY)));
        assertEquals("UNSUBACK id=3", PacketText.of(new UnsubAck(3, List.of(), Properties.EMPTY)));
        assertEquals("UNSUBACK id=3 codes=[0x00, 0x11]", PacketText.of(new UnsubAck(3,
                List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY)));
    }
}
