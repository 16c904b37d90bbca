package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property.IntegerProperty;
import io.checkedmqtt.core.packet.Property.StringProperty;
import io.checkedmqtt.core.packet.Property.UserProperty;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.packet.Will;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.checkedmqtt.core.packet.PropertyId.AUTHENTICATION_METHOD;
import static io.checkedmqtt.core.packet.PropertyId.MAXIMUM_QOS;
import static io.checkedmqtt.core.packet.PropertyId.REASON_STRING;
import static io.checkedmqtt.core.packet.PropertyId.RECEIVE_MAXIMUM;
import static io.checkedmqtt.core.packet.PropertyId.SESSION_EXPIRY_INTERVAL;
import static io.checkedmqtt.core.packet.PropertyId.SUBSCRIPTION_IDENTIFIER;
import static io.checkedmqtt.core.packet.PropertyId.TOPIC_ALIAS;
import static io.checkedmqtt.core.packet.PropertyId.TOPIC_ALIAS_MAXIMUM;
import static io.checkedmqtt.core.packet.PropertyId.WILL_DELAY_INTERVAL;
import static io.checkedmqtt.core.packet.ReasonCode.CONTINUE_AUTHENTICATION;
import static io.checkedmqtt.core.packet.ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
import static io.checkedmqtt.core.packet.ReasonCode.GRANTED_QOS_0;
import static io.checkedmqtt.core.packet.ReasonCode.GRANTED_QOS_1;
import static io.checkedmqtt.core.packet.ReasonCode.GRANTED_QOS_2;
import static io.checkedmqtt.core.packet.ReasonCode.NORMAL_DISCONNECTION;
import static io.checkedmqtt.core.packet.ReasonCode.NOT_AUTHORIZED;
import static io.checkedmqtt.core.packet.ReasonCode.NO_MATCHING_SUBSCRIBERS;
import static io.checkedmqtt.core.packet.ReasonCode.NO_SUBSCRIPTION_EXISTED;
import static io.checkedmqtt.core.packet.ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
import static io.checkedmqtt.core.packet.ReasonCode.SESSION_TAKEN_OVER;
import static io.checkedmqtt.core.packet.ReasonCode.SUCCESS;
import static io.checkedmqtt.core.packet.ReasonCode.UNSPECIFIED_ERROR;
import static io.checkedmqtt.core.packet.SubscriptionOptions.RetainHandling.DO_NOT_SEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Byte-exact vectors for every packet type, written by hand from the layouts in the spec's
 * figures (3.1.1 chapter 3, 5.0 chapter 3), never produced by this encoder. Each vector is
 * checked both ways: the encoder writes exactly these bytes, and the decoder reads them back
 * into exactly this packet.
 */
class GoldenVectorsTest {

    static final ProtocolVersion V31 = ProtocolVersion.MQTT_3_1;
    static final ProtocolVersion V3 = ProtocolVersion.MQTT_3_1_1;
    static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    static final Properties NONE = Properties.EMPTY;

    static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void assertGolden(Packet packet, ProtocolVersion version, String hex) {
        byte[] expected = Hex.bytes(hex);
        assertEquals(Hex.of(expected), Hex.of(MqttCodec.encodeToBytes(packet, version)), "encoded bytes");
        assertEquals(expected.length, MqttEncoder.encodedSize(packet, version), "encodedSize");
        ProtocolVersion decodeAs = packet instanceof Connect ? null : version;
        assertEquals(new DecodeResult.Decoded(packet, expected.length), MqttCodec.decodeOne(expected, decodeAs), "decoded packet");
    }

    /** Decodes a form the spec allows but this encoder does not choose, then checks what it writes instead. */
    static void assertDecodesAndNormalises(String wire, ProtocolVersion version, Packet packet, String canonical) {
        byte[] bytes = Hex.bytes(wire);
        assertEquals(new DecodeResult.Decoded(packet, bytes.length), MqttCodec.decodeOne(bytes, version));
        assertEquals(canonical, Hex.of(MqttCodec.encodeToBytes(packet, version)));
    }

    @Nested
    @DisplayName("MQTT 3.1 and 3.1.1")
    class V311 {

        @Test
        @DisplayName("v3.1.1 CONNECT (Figure 3.6 layout): will QoS 1, user name, password, keep alive 10")
        void connect() {
            Connect c = new Connect(V3, "c1", true, 10, "u", b("p"),
                    new Will("w", b("m"), QoS.AT_LEAST_ONCE, false, NONE), NONE);
            assertGolden(c, V3, "10 1A 00 04 4D 51 54 54 04 CE 00 0A 00 02 63 31 00 01 77 00 01 6D 00 01 75 00 01 70");
        }

        @Test
        @DisplayName("v3.1 CONNECT: protocol name MQIsdp, level 3")
        void connect31() {
            Connect c = new Connect(ProtocolVersion.MQTT_3_1, "c1", true, 60, null, null, null, NONE);
            assertGolden(c, ProtocolVersion.MQTT_3_1, "10 10 00 06 4D 51 49 73 64 70 03 02 00 3C 00 02 63 31");
        }

        @Test
        @DisplayName("v3.1.1 CONNACK: session present, accepted; and return code 5, not authorized")
        void connack() {
            assertGolden(new Connack(true, SUCCESS, NONE), V3, "20 02 01 00");
            assertGolden(new Connack(false, NOT_AUTHORIZED, NONE), V3, "20 02 00 05");
        }

        @Test
        @DisplayName("v3.1.1 PUBLISH QoS 1, QoS 0 retained with empty payload, QoS 2 DUP")
        void publish() {
            assertGolden(new Publish("a/b", new byte[] {1, 2}, QoS.AT_LEAST_ONCE, false, false, 10, NONE), V3,
                    "32 09 00 03 61 2F 62 00 0A 01 02");
            assertGolden(new Publish("a/b", new byte[0], QoS.AT_MOST_ONCE, true, false, 0, NONE), V3,
                    "31 05 00 03 61 2F 62");
            assertGolden(new Publish("a/b", new byte[0], QoS.EXACTLY_ONCE, false, true, 0x1234, NONE), V3,
                    "3C 07 00 03 61 2F 62 12 34");
        }

        @Test
        @DisplayName("v3.1.1 PUBACK, PUBREC, PUBREL (flags 0010), PUBCOMP")
        void publishAcks() {
            assertGolden(new PubAck(10), V3, "40 02 00 0A");
            assertGolden(new PubRec(10), V3, "50 02 00 0A");
            assertGolden(new PubRel(10), V3, "62 02 00 0A");
            assertGolden(new PubComp(10), V3, "70 02 00 0A");
        }

        @Test
        @DisplayName("v3.1.1 SUBSCRIBE (Figure 3.22 layout): two filters, QoS 1 and 2")
        void subscribe() {
            Subscribe s = new Subscribe(10, List.of(new Subscription("a/b", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                    new Subscription("c/d", SubscriptionOptions.of(QoS.EXACTLY_ONCE))), NONE);
            assertGolden(s, V3, "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02");
        }

        @Test
        @DisplayName("v3.1.1 SUBACK (Figure 3.26 layout): 0x00, 0x01, 0x02, 0x80")
        void suback() {
            assertGolden(new SubAck(10, List.of(GRANTED_QOS_0, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR), NONE), V3,
                    "90 06 00 0A 00 01 02 80");
        }

        @Test
        @DisplayName("v3.1.1 UNSUBSCRIBE and UNSUBACK (no payload)")
        void unsubscribe() {
            assertGolden(new Unsubscribe(10, List.of("a/b"), NONE), V3, "A2 07 00 0A 00 03 61 2F 62");
            assertGolden(new UnsubAck(10, List.of(), NONE), V3, "B0 02 00 0A");
        }

        @Test
        @DisplayName("v3.1.1 PINGREQ, PINGRESP, DISCONNECT: two bytes each")
        void bodiless() {
            assertGolden(PingReq.INSTANCE, V3, "C0 00");
            assertGolden(PingResp.INSTANCE, V3, "D0 00");
            assertGolden(Disconnect.NORMAL, V3, "E0 00");
        }
    }

    /**
     * MQTT 3.1 (protocol name MQIsdp, level 3), from the 3.1 specification: CONNACK byte 1 is
     * "Reserved values. Not used." (section 3.2); DUP is set when PUBREL, SUBSCRIBE or UNSUBSCRIBE
     * is retried, and those three are sent at QoS 1 (sections 2.1, 3.6, 3.8, 3.10); on every other
     * packet but PUBLISH the fixed-header flags are "not used".
     */
    @Nested
    @DisplayName("MQTT 3.1")
    class V31Vectors {

        @Test
        @DisplayName("v3.1 CONNACK: byte 1 is reserved, so it is 0 even for a kept session, and is read as no Session Present")
        void connack() {
            assertGolden(new Connack(false, SUCCESS, NONE), V31, "20 02 00 00");
            assertGolden(new Connack(false, NOT_AUTHORIZED, NONE), V31, "20 02 00 05");
            assertEquals("20 02 00 00", encodedHex(new Connack(true, SUCCESS, NONE), V31), "no Session Present bit in 3.1");
            assertEquals("20 02 01 00", encodedHex(new Connack(true, SUCCESS, NONE), V3), "while 3.1.1 has one");
            assertEquals(new Connack(false, SUCCESS, NONE), decoded("20 02 01 00", V31), "a set bit means nothing in 3.1");
        }

        @Test
        @DisplayName("v3.1 PUBREL, SUBSCRIBE and UNSUBSCRIBE retried with DUP=1 are read like the first send")
        void dupOnRetries() {
            assertDecodesAndNormalises("6A 02 00 0A", V31, new PubRel(10), "62 02 00 0A");
            assertDecodesAndNormalises("8A 08 00 0A 00 03 61 2F 62 01", V31, new Subscribe(10,
                    List.of(new Subscription("a/b", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), NONE),
                    "82 08 00 0A 00 03 61 2F 62 01");
            assertDecodesAndNormalises("AA 07 00 0A 00 03 61 2F 62", V31, new Unsubscribe(10, List.of("a/b"), NONE),
                    "A2 07 00 0A 00 03 61 2F 62");
            assertDecodesAndNormalises("63 02 00 0A", V31, new PubRel(10), "62 02 00 0A"); // RETAIN: "not used"
        }

        @Test
        @DisplayName("v3.1 fixed-header flags that 3.1 calls 'not used' are ignored: PUBACK, PINGREQ, DISCONNECT and a first CONNECT")
        void unusedFlags() {
            assertDecodesAndNormalises("4B 02 00 0A", V31, new PubAck(10), "40 02 00 0A");
            assertDecodesAndNormalises("CF 00", V31, PingReq.INSTANCE, "C0 00");
            assertDecodesAndNormalises("E2 00", V31, Disconnect.NORMAL, "E0 00");
            Connect c = new Connect(ProtocolVersion.MQTT_3_1, "c1", true, 60, null, null, null, NONE);
            assertEquals(c, decoded("1A 10 00 06 4D 51 49 73 64 70 03 02 00 3C 00 02 63 31", null));
        }

        @Test
        @DisplayName("v3.1 a retried PUBREL is written with DUP=1; 3.1.1 and 5.0 have no place for it [MQTT-3.6.1-1]")
        void pubRelRetryWritten() {
            assertEquals("6A 02 00 0A", encodedHex(PubRel.retry(10), V31));
            assertEquals("62 02 00 0A", encodedHex(new PubRel(10), V31));
            assertEquals("62 02 00 0A", encodedHex(PubRel.retry(10), V3));
            assertEquals("62 02 00 0A", encodedHex(PubRel.retry(10), ProtocolVersion.MQTT_5));
        }

        @Test
        @DisplayName("v3.1 the reserved Connect Flags bit is 'not used' in 3.1 and is ignored; 3.1.1 refuses it [MQTT-3.1.2-3]")
        void reservedConnectFlag() {
            Connect c = new Connect(ProtocolVersion.MQTT_3_1, "c1", true, 60, null, null, null, NONE);
            assertEquals(c, decoded("10 10 00 06 4D 51 49 73 64 70 03 03 00 3C 00 02 63 31", null));
            assertDecodeError("10 0E 00 04 4D 51 54 54 04 03 00 3C 00 02 63 31", null);
        }

        @Test
        @DisplayName("v3.1 PUBREL, SUBSCRIBE and UNSUBSCRIBE must still say QoS 1, and 3.1.1 keeps DUP=1 on them malformed [MQTT-3.6.1-1] [MQTT-3.8.1-1]")
        void qosOneStillRequired() {
            assertDecodeError("60 02 00 0A", V31);
            assertDecodeError("8C 08 00 0A 00 03 61 2F 62 01", V31);
            assertDecodeError("6A 02 00 0A", V3);
            assertDecodeError("8A 08 00 0A 00 03 61 2F 62 01", V3);
            assertDecodeError("1A 0C 00 04 4D 51 54 54 04 02 00 3C 00 00", null); // a 3.1.1 CONNECT with flags
        }
    }

    static String encodedHex(Packet packet, ProtocolVersion version) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, out);
        return Hex.of(out.array());
    }

    static Packet decoded(String hex, ProtocolVersion version) {
        DecodeResult result = new MqttDecoder(1 << 16).decode(java.nio.ByteBuffer.wrap(Hex.bytes(hex)), version);
        return assertInstanceOf(DecodeResult.Decoded.class, result, hex).packet();
    }

    static void assertDecodeError(String hex, ProtocolVersion version) {
        DecodeResult result = new MqttDecoder(1 << 16).decode(java.nio.ByteBuffer.wrap(Hex.bytes(hex)), version);
        assertEquals(ReasonCode.MALFORMED_PACKET, assertInstanceOf(DecodeResult.DecodeError.class, result, hex).reason());
    }

    @Nested
    @DisplayName("MQTT 5.0")
    class V50 {

        @Test
        @DisplayName("v5 CONNECT: properties, will properties, will QoS 2 retained, user name, password")
        void connect() {
            Connect c = new Connect(V5, "c1", true, 60, "u", b("p"),
                    new Will("w", b("m"), QoS.EXACTLY_ONCE, true, Properties.of(new IntegerProperty(WILL_DELAY_INTERVAL, 5))),
                    Properties.of(new IntegerProperty(SESSION_EXPIRY_INTERVAL, 120), new IntegerProperty(RECEIVE_MAXIMUM, 20)));
            assertGolden(c, V5, "10 29 00 04 4D 51 54 54 05 F6 00 3C"
                    + " 08 11 00 00 00 78 21 00 14"
                    + " 00 02 63 31"
                    + " 05 18 00 00 00 05 00 01 77 00 01 6D"
                    + " 00 01 75 00 01 70");
        }

        @Test
        @DisplayName("v5 CONNACK: success with no properties, with properties, and Not authorized")
        void connack() {
            assertGolden(new Connack(false, SUCCESS, NONE), V5, "20 03 00 00 00");
            assertGolden(new Connack(true, SUCCESS, Properties.of(new IntegerProperty(TOPIC_ALIAS_MAXIMUM, 10),
                    new IntegerProperty(MAXIMUM_QOS, 1))), V5, "20 08 01 00 05 22 00 0A 24 01");
            assertGolden(new Connack(false, NOT_AUTHORIZED, NONE), V5, "20 03 00 87 00");
        }

        @Test
        @DisplayName("v5 PUBLISH: QoS 1 without properties, Topic Alias and User Property, empty Topic Name with alias")
        void publish() {
            assertGolden(new Publish("a/b", new byte[] {1, 2}, QoS.AT_LEAST_ONCE, false, false, 10, NONE), V5,
                    "32 0A 00 03 61 2F 62 00 0A 00 01 02");
            assertGolden(new Publish("a/b", new byte[] {(byte) 0xFF}, QoS.AT_MOST_ONCE, false, false, 0,
                            Properties.of(new IntegerProperty(TOPIC_ALIAS, 3), new UserProperty("k", "v"))), V5,
                    "30 11 00 03 61 2F 62 0A 23 00 03 26 00 01 6B 00 01 76 FF");
            assertGolden(new Publish("", new byte[] {0x41}, QoS.AT_MOST_ONCE, false, false, 0,
                    Properties.of(new IntegerProperty(TOPIC_ALIAS, 3))), V5, "30 07 00 00 03 23 00 03 41");
        }

        @Test
        @DisplayName("v5 PUBACK: short form for Success, reason code only, reason code and Reason String")
        void puback() {
            assertGolden(new PubAck(10), V5, "40 02 00 0A");
            assertGolden(new PubAck(10, NO_MATCHING_SUBSCRIBERS, NONE), V5, "40 03 00 0A 10");
            assertGolden(new PubAck(10, NO_MATCHING_SUBSCRIBERS, Properties.of(new StringProperty(REASON_STRING, "x"))), V5,
                    "40 08 00 0A 10 04 1F 00 01 78");
        }

        @Test
        @DisplayName("v5 PUBREC 0x80, PUBREL 0x92 (flags 0010), PUBCOMP short form")
        void pubrecPubrelPubcomp() {
            assertGolden(new PubRec(10, UNSPECIFIED_ERROR, NONE), V5, "50 03 00 0A 80");
            assertGolden(new PubRel(10, PACKET_IDENTIFIER_NOT_FOUND, NONE), V5, "62 03 00 0A 92");
            assertGolden(new PubComp(10), V5, "70 02 00 0A");
        }

        @Test
        @DisplayName("v5 SUBSCRIBE: Subscription Identifier 5; options QoS 1, No Local, Retain As Published, Retain Handling 2")
        void subscribe() {
            Subscribe s = new Subscribe(10, List.of(new Subscription("a/b",
                    new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, true, DO_NOT_SEND))),
                    Properties.of(new IntegerProperty(SUBSCRIPTION_IDENTIFIER, 5)));
            assertGolden(s, V5, "82 0B 00 0A 02 0B 05 00 03 61 2F 62 2D");
        }

        @Test
        @DisplayName("v5 SUBACK: Granted QoS 1 and Not authorized")
        void suback() {
            assertGolden(new SubAck(10, List.of(GRANTED_QOS_1, NOT_AUTHORIZED), NONE), V5, "90 05 00 0A 00 01 87");
        }

        @Test
        @DisplayName("v5 UNSUBSCRIBE and UNSUBACK with a reason code per filter")
        void unsubscribe() {
            assertGolden(new Unsubscribe(10, List.of("a/b"), NONE), V5, "A2 08 00 0A 00 00 03 61 2F 62");
            assertGolden(new UnsubAck(10, List.of(SUCCESS, NO_SUBSCRIPTION_EXISTED), NONE), V5, "B0 05 00 0A 00 00 11");
        }

        @Test
        @DisplayName("v5 DISCONNECT: normal (no body), with Will Message (reason only), with Session Expiry Interval")
        void disconnect() {
            assertGolden(new Disconnect(NORMAL_DISCONNECTION, NONE), V5, "E0 00");
            assertGolden(new Disconnect(DISCONNECT_WITH_WILL_MESSAGE, NONE), V5, "E0 01 04");
            assertGolden(new Disconnect(NORMAL_DISCONNECTION, Properties.of(new IntegerProperty(SESSION_EXPIRY_INTERVAL, 0))),
                    V5, "E0 07 00 05 11 00 00 00 00");
        }

        @Test
        @DisplayName("v5 AUTH: Success with no body, Continue authentication with an Authentication Method")
        void auth() {
            assertGolden(new Auth(SUCCESS, NONE), V5, "F0 00");
            assertGolden(new Auth(CONTINUE_AUTHENTICATION, Properties.of(new StringProperty(AUTHENTICATION_METHOD, "SCRAM"))),
                    V5, "F0 0A 18 08 15 00 05 53 43 52 41 4D");
        }

        @Test
        @DisplayName("v5 PINGREQ and PINGRESP")
        void pings() {
            assertGolden(PingReq.INSTANCE, V5, "C0 00");
            assertGolden(PingResp.INSTANCE, V5, "D0 00");
        }

        @Test
        @DisplayName("v5 longer forms the spec allows are decoded: PUBACK with empty properties, DISCONNECT with Property Length 0")
        void longerForms() {
            assertDecodesAndNormalises("40 04 00 0A 00 00", V5, new PubAck(10), "40 02 00 0A");
            assertDecodesAndNormalises("E0 02 8E 00", V5, new Disconnect(SESSION_TAKEN_OVER, NONE), "E0 01 8E");
            assertDecodesAndNormalises("F0 01 18", V5, new Auth(CONTINUE_AUTHENTICATION, NONE), "F0 02 18 00");
        }
    }
}
