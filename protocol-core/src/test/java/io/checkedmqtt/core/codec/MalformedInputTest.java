package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property.IntegerProperty;
import io.checkedmqtt.core.packet.Property.UserProperty;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.checkedmqtt.core.packet.ReasonCode.MALFORMED_PACKET;
import static io.checkedmqtt.core.packet.ReasonCode.PACKET_TOO_LARGE;
import static io.checkedmqtt.core.packet.ReasonCode.PROTOCOL_ERROR;
import static io.checkedmqtt.core.packet.ReasonCode.TOPIC_ALIAS_INVALID;
import static io.checkedmqtt.core.packet.ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per decoding rule, named after the normative statement it enforces (or the spec
 * section, where the rule has no number). Each feeds hand-written bytes and expects the exact
 * reason code and statement, with the buffer left untouched.
 */
class MalformedInputTest {

    static final ProtocolVersion V3 = ProtocolVersion.MQTT_3_1_1;
    static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    static DecodeResult.DecodeError assertRejected(ProtocolVersion version, String hex, ReasonCode reason, String statement) {
        return assertRejected(new MqttDecoder(1 << 20), version, hex, reason, statement);
    }

    static DecodeResult.DecodeError assertRejected(MqttDecoder decoder, ProtocolVersion version, String hex,
                                                   ReasonCode reason, String statement) {
        ByteBuffer in = ByteBuffer.wrap(Hex.bytes(hex));
        DecodeResult result = decoder.decode(in, version);
        DecodeResult.DecodeError error = assertInstanceOf(DecodeResult.DecodeError.class, result, hex);
        assertEquals(reason, error.reason(), error.toString());
        assertEquals(statement, error.statement(), error.toString());
        assertEquals(0, in.position(), "an error consumes nothing");
        assertEquals(in.capacity(), in.limit(), "an error leaves the limit as it was");
        return error;
    }

    static DecodeResult.Decoded assertAccepted(ProtocolVersion version, String hex) {
        DecodeResult result = MqttCodec.decodeOne(Hex.bytes(hex), version);
        return assertInstanceOf(DecodeResult.Decoded.class, result, () -> hex + " -> " + result);
    }

    // ------------------------------------------------------------- fixed header

    @Test
    @DisplayName("v5 section 1.5.5 / v3.1.1 section 2.2.3: a Remaining Length of more than four bytes is malformed")
    void remainingLengthOverFourBytes() {
        assertRejected(V5, "C0 FF FF FF FF", MALFORMED_PACKET, "5.0 section 1.5.5 / 3.1.1 section 2.2.3");
        assertRejected(V3, "C0 FF FF FF 80", MALFORMED_PACKET, "5.0 section 1.5.5 / 3.1.1 section 2.2.3");
    }

    @Test
    @DisplayName("v5 [MQTT-1.5.5-1] a Variable Byte Integer that is not in its shortest form is malformed")
    void variableByteIntegerNotMinimal() {
        assertRejected(V5, "C0 80 00", MALFORMED_PACKET, "MQTT-1.5.5-1");
        assertRejected(V5, "40 05 00 0A 00 80 00", MALFORMED_PACKET, "MQTT-1.5.5-1");
    }

    @Test
    @DisplayName("v5 [MQTT-2.1.3-1] v3.1.1 [MQTT-2.2.2-2] reserved fixed-header flags must be as specified")
    void reservedFlags() {
        assertRejected(V5, "41 02 00 0A", MALFORMED_PACKET, "MQTT-2.1.3-1");
        assertRejected(V3, "41 02 00 0A", MALFORMED_PACKET, "MQTT-2.2.2-2");
        assertRejected(V3, "C8 00", MALFORMED_PACKET, "MQTT-2.2.2-2");
        // a first CONNECT's flags are judged once its Protocol Level is read (3.1 does not use them)
        assertRejected(null, "11 0C 00 04 4D 51 54 54 04 02 00 3C 00 00", MALFORMED_PACKET, "MQTT-2.2.2-2");
        DecodeResult.DecodeError v5 = assertRejected(null, "18 0D 00 04 4D 51 54 54 05 02 00 3C 00 00 00",
                MALFORMED_PACKET, "MQTT-2.1.3-1");
        assertEquals(V5, v5.version(), "known to be 5.0, so the core can answer CONNACK 0x81");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.6.1-1] PUBREL flags must be 0010")
    void pubrelFlags() {
        assertRejected(V3, "60 02 00 0A", MALFORMED_PACKET, "MQTT-3.6.1-1");
        assertRejected(V5, "60 02 00 0A", MALFORMED_PACKET, "MQTT-3.6.1-1");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.8.1-1] SUBSCRIBE flags must be 0010")
    void subscribeFlags() {
        assertRejected(V3, "80 06 00 0A 00 01 61 00", MALFORMED_PACKET, "MQTT-3.8.1-1");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.10.1-1] UNSUBSCRIBE flags must be 0010")
    void unsubscribeFlags() {
        assertRejected(V5, "A0 06 00 0A 00 00 01 61", MALFORMED_PACKET, "MQTT-3.10.1-1");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.14.1-1] v5 [MQTT-3.14.1-1] DISCONNECT reserved flags must be 0")
    void disconnectFlags() {
        assertRejected(V3, "E1 00", MALFORMED_PACKET, "MQTT-3.14.1-1");
        assertRejected(V5, "E2 00", MALFORMED_PACKET, "MQTT-3.14.1-1");
    }

    @Test
    @DisplayName("v5 [MQTT-3.15.1-1] AUTH flags must be 0")
    void authFlags() {
        assertRejected(V5, "F1 00", MALFORMED_PACKET, "MQTT-3.15.1-1");
    }

    @Test
    @DisplayName("v3.1.1 section 2.2.1 / v5 section 2.1.2: packet type 0 is reserved, and 15 is reserved in 3.1.1")
    void reservedPacketTypes() {
        assertRejected(V5, "00 00", MALFORMED_PACKET, "5.0 section 2.1.2");
        assertRejected(V3, "F0 00", MALFORMED_PACKET, "3.1.1 section 2.2.1");
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-15] a frame over the maximum packet size is refused from its fixed header, before its body arrives")
    void packetTooLarge() {
        MqttDecoder decoder = new MqttDecoder(100);
        // RL 1000 announced; only the three header bytes are there
        assertRejected(decoder, V5, "30 E8 07", PACKET_TOO_LARGE, "MQTT-3.2.2-15");
        // exactly at the limit is fine: 2 header bytes + 98
        ByteBuffer atLimit = ByteBuffer.allocate(100).put(Hex.bytes("30 62 00 01 61 00"));
        atLimit.position(0);
        assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(atLimit, V5));
        assertRejected(decoder, V3, "30 63", PACKET_TOO_LARGE, "3.1.1 section 2.2.3 (server limit)");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.1.0-1] before CONNECT, any other packet is a protocol error")
    void firstPacketMustBeConnect() {
        assertRejected(null, "C0 00", PROTOCOL_ERROR, "MQTT-3.1.0-1");
        assertRejected(null, "30 03 00 01 61", PROTOCOL_ERROR, "MQTT-3.1.0-1");
    }

    // ------------------------------------------------------------- data types

    @Test
    @DisplayName("v3.1.1 [MQTT-1.5.3-1] v5 [MQTT-1.5.4-1] ill-formed UTF-8 is malformed: bad continuation, overlong, above U+10FFFF")
    void illFormedUtf8() {
        assertRejected(V3, "30 04 00 02 C3 28", MALFORMED_PACKET, "MQTT-1.5.3-1");
        assertRejected(V5, "30 05 00 02 C3 28 00", MALFORMED_PACKET, "MQTT-1.5.4-1");
        assertRejected(V5, "30 05 00 02 C0 AF 00", MALFORMED_PACKET, "MQTT-1.5.4-1");
        assertRejected(V5, "30 07 00 04 F4 90 80 80 00", MALFORMED_PACKET, "MQTT-1.5.4-1");
        assertRejected(V5, "30 04 00 01 80 00", MALFORMED_PACKET, "MQTT-1.5.4-1");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-1.5.3-1] v5 [MQTT-1.5.4-1] a UTF-8 encoded surrogate (U+D800) is malformed")
    void surrogate() {
        assertRejected(V3, "30 05 00 03 ED A0 80", MALFORMED_PACKET, "MQTT-1.5.3-1");
        assertRejected(V5, "30 06 00 03 ED A0 80 00", MALFORMED_PACKET, "MQTT-1.5.4-1");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-1.5.3-2] v5 [MQTT-1.5.4-2] U+0000 in a string is malformed")
    void nullCharacter() {
        assertRejected(V3, "30 05 00 03 61 00 62", MALFORMED_PACKET, "MQTT-1.5.3-2");
        assertRejected(V5, "30 06 00 03 61 00 62 00", MALFORMED_PACKET, "MQTT-1.5.4-2");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-1.5.3-3] v5 [MQTT-1.5.4-3] EF BB BF is U+FEFF and is kept, not stripped")
    void byteOrderMarkKept() {
        Publish v3 = (Publish) assertAccepted(V3, "30 06 00 04 EF BB BF 61").packet();
        assertEquals("\uFEFFa", v3.topic());
        Publish v5 = (Publish) assertAccepted(V5, "30 07 00 04 EF BB BF 61 00").packet();
        assertEquals("\uFEFFa", v5.topic());
    }

    @Test
    @DisplayName("v5 [MQTT-1.5.7-1] both strings of a User Property follow the UTF-8 rules")
    void userPropertyStrings() {
        assertRejected(V5, "30 0B 00 01 61 07 26 00 01 00 00 01 76", MALFORMED_PACKET, "MQTT-1.5.4-2");
        assertRejected(V5, "30 0B 00 01 61 07 26 00 01 6B 00 01 FF", MALFORMED_PACKET, "MQTT-1.5.4-1");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-1] v5 [MQTT-2.2.1-3] PUBLISH QoS>0, SUBSCRIBE and UNSUBSCRIBE need a non-zero Packet Identifier")
    void zeroPacketIdentifier() {
        assertRejected(V3, "32 05 00 01 61 00 00", PROTOCOL_ERROR, "MQTT-2.3.1-1");
        assertRejected(V5, "34 06 00 01 61 00 00 00", PROTOCOL_ERROR, "MQTT-2.2.1-3");
        assertRejected(V3, "82 06 00 00 00 01 61 00", PROTOCOL_ERROR, "MQTT-2.3.1-1");
        assertRejected(V5, "A2 06 00 00 00 00 01 61", PROTOCOL_ERROR, "MQTT-2.2.1-3");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-6] v5 [MQTT-2.2.1-5] acknowledgements echo a non-zero Packet Identifier, so 0 is refused")
    void zeroPacketIdentifierInAcks() {
        assertRejected(V3, "40 02 00 00", PROTOCOL_ERROR, "MQTT-2.3.1-1");
        assertRejected(V5, "70 02 00 00", PROTOCOL_ERROR, "MQTT-2.2.1-3");
    }

    // ------------------------------------------------------------- remaining length

    @Test
    @DisplayName("v3.1.1 section 2.2.3 / v5 section 2.1.4: a field running past the Remaining Length is malformed")
    void fieldPastEnd() {
        assertRejected(V3, "30 03 00 05 61", MALFORMED_PACKET, DecodeFailure.REMAINING_LENGTH);
        assertRejected(V5, "40 05 00 0A 00 05 1F", MALFORMED_PACKET, DecodeFailure.REMAINING_LENGTH);
        assertRejected(V5, "10 06 00 04 4D 51 54 54", MALFORMED_PACKET, DecodeFailure.REMAINING_LENGTH);
    }

    @Test
    @DisplayName("v3.1.1 section 2.2.3 / v5 section 2.1.4: bytes after the last field are malformed")
    void bytesAfterLastField() {
        assertRejected(V3, "40 03 00 0A 00", MALFORMED_PACKET, DecodeFailure.REMAINING_LENGTH);
        assertRejected(V3, "C0 01 00", MALFORMED_PACKET, DecodeFailure.REMAINING_LENGTH);
        assertRejected(V3, "E0 01 00", MALFORMED_PACKET, DecodeFailure.REMAINING_LENGTH);
        assertRejected(V3, "B0 03 00 0A 00", MALFORMED_PACKET, DecodeFailure.REMAINING_LENGTH);
        assertRejected(null, "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 01 63 FF", MALFORMED_PACKET,
                DecodeFailure.REMAINING_LENGTH);
    }

    // ------------------------------------------------------------- PUBLISH

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.3.1-4] a PUBLISH with QoS 3 is malformed")
    void publishQos3() {
        assertRejected(V3, "36 05 00 01 61 00 01", MALFORMED_PACKET, "MQTT-3.3.1-4");
        assertRejected(V5, "36 06 00 01 61 00 01 00", MALFORMED_PACKET, "MQTT-3.3.1-4");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.3.1-2] DUP must be 0 on a QoS 0 PUBLISH")
    void dupOnQos0() {
        assertRejected(V3, "38 03 00 01 61", MALFORMED_PACKET, "MQTT-3.3.1-2");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.3.2-2] a Topic Name holds no wildcard; the packet parses, so 5.0 section 1.2 makes it a Protocol Error (0x82)")
    void wildcardInTopicName() {
        assertRejected(V3, "30 05 00 03 61 2F 2B", PROTOCOL_ERROR, "MQTT-3.3.2-2");
        assertRejected(V5, "30 06 00 03 61 2F 23 00", PROTOCOL_ERROR, "MQTT-3.3.2-2");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.7.3-1] a Topic Name is at least one character; v5 section 3.3.2.3.4 only a Topic Alias may replace it; either way a Protocol Error (5.0 section 1.2)")
    void emptyTopicName() {
        assertRejected(V3, "30 02 00 00", PROTOCOL_ERROR, "MQTT-4.7.3-1");
        assertRejected(V5, "30 03 00 00 00", PROTOCOL_ERROR, "5.0 section 3.3.2.3.4");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-8] a Topic Alias of 0 is invalid")
    void topicAliasZero() {
        assertRejected(V5, "30 07 00 01 61 03 23 00 00", TOPIC_ALIAS_INVALID, "MQTT-3.3.2-8");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-14] a Response Topic holds no wildcard: a Protocol Error, as in a Topic Name (5.0 section 1.2)")
    void wildcardInResponseTopic() {
        assertRejected(V5, "30 0A 00 01 61 06 08 00 03 61 2F 2B", PROTOCOL_ERROR, "MQTT-3.3.2-14");
    }

    // ------------------------------------------------------------- properties

    @Test
    @DisplayName("v5 section 2.2.2.2: a property other than User Property given twice is a protocol error")
    void duplicateProperty() {
        assertRejected(V5, "30 0E 00 01 61 0A 02 00 00 00 01 02 00 00 00 02", PROTOCOL_ERROR, "5.0 section 2.2.2.2");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-17/18] User Properties may repeat, and keep their order")
    void userPropertiesRepeat() {
        Publish p = (Publish) assertAccepted(V5, "30 17 00 01 61 13 26 00 01 6B 00 01 31 26 00 01 6B 00 01 32 26 00 00 00 00").packet();
        assertEquals(Properties.of(new UserProperty("k", "1"), new UserProperty("k", "2"), new UserProperty("", "")),
                p.properties());
    }

    @Test
    @DisplayName("v5 section 3.3.2.3.8: Subscription Identifier may repeat in PUBLISH, but section 3.8.2.1.2 not in SUBSCRIBE")
    void subscriptionIdentifierRepeat() {
        Publish p = (Publish) assertAccepted(V5, "30 08 00 01 61 04 0B 01 0B 02").packet();
        assertEquals(Properties.of(new IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, 1),
                new IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, 2)), p.properties());
        assertRejected(V5, "82 0B 00 0A 04 0B 01 0B 02 00 01 61 00", PROTOCOL_ERROR, "5.0 section 2.2.2.2");
    }

    @Test
    @DisplayName("v5 section 2.2.2.2: a property the packet type does not allow is malformed")
    void propertyNotAllowedHere() {
        assertRejected(V5, "40 07 00 0A 00 03 23 00 01", MALFORMED_PACKET, "5.0 section 2.2.2.2");
        // Will Delay Interval belongs in the Will Properties, not the CONNECT properties
        assertRejected(null, "10 13 00 04 4D 51 54 54 05 02 00 3C 05 18 00 00 00 01 00 01 63", MALFORMED_PACKET,
                "5.0 section 2.2.2.2");
    }

    @Test
    @DisplayName("v5 section 2.2.2.2: an unknown Property Identifier is malformed")
    void unknownProperty() {
        assertRejected(V5, "40 06 00 0A 00 02 05 00", MALFORMED_PACKET, "5.0 section 2.2.2.2");
    }

    @Test
    @DisplayName("v5 section 3 property values: Receive Maximum 0, Payload Format Indicator 2, Subscription Identifier 0 are protocol errors")
    void propertyValueRules() {
        assertRejected(null, "10 11 00 04 4D 51 54 54 05 02 00 3C 03 21 00 00 00 01 63", PROTOCOL_ERROR,
                "5.0 section 3 (RECEIVE_MAXIMUM)");
        assertRejected(V5, "30 06 00 01 61 02 01 02", PROTOCOL_ERROR, "5.0 section 3 (PAYLOAD_FORMAT_INDICATOR)");
        assertRejected(V5, "82 09 00 0A 02 0B 00 00 01 61 00", PROTOCOL_ERROR, "5.0 section 3 (SUBSCRIPTION_IDENTIFIER)");
    }

    @Test
    @DisplayName("v5 section 3.15.2.2.3: Authentication Data without an Authentication Method is a protocol error")
    void authenticationDataWithoutMethod() {
        assertRejected(V5, "F0 06 18 04 16 00 01 78", PROTOCOL_ERROR, "5.0 section 3.1.2.11.10");
    }

    // ------------------------------------------------------------- CONNECT

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.1.2-3] the reserved Connect Flags bit must be 0")
    void connectReservedFlag() {
        assertRejected(null, "10 0D 00 04 4D 51 54 54 04 03 00 3C 00 01 63", MALFORMED_PACKET, "MQTT-3.1.2-3");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-14] v5 [MQTT-3.1.2-12] Will QoS 3 is malformed")
    void willQos3() {
        assertRejected(null, "10 0D 00 04 4D 51 54 54 04 1E 00 3C 00 01 63", MALFORMED_PACKET, "MQTT-3.1.2-14");
        assertRejected(null, "10 0E 00 04 4D 51 54 54 05 1E 00 3C 00 00 01 63", MALFORMED_PACKET, "MQTT-3.1.2-12");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-13] v5 [MQTT-3.1.2-11] Will QoS must be 0 without a Will Flag")
    void willQosWithoutWill() {
        assertRejected(null, "10 0D 00 04 4D 51 54 54 04 0A 00 3C 00 01 63", MALFORMED_PACKET, "MQTT-3.1.2-13");
        assertRejected(null, "10 0E 00 04 4D 51 54 54 05 0A 00 3C 00 00 01 63", MALFORMED_PACKET, "MQTT-3.1.2-11");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-15] v5 [MQTT-3.1.2-13] Will Retain must be 0 without a Will Flag")
    void willRetainWithoutWill() {
        assertRejected(null, "10 0D 00 04 4D 51 54 54 04 22 00 3C 00 01 63", MALFORMED_PACKET, "MQTT-3.1.2-15");
        assertRejected(null, "10 0E 00 04 4D 51 54 54 05 22 00 3C 00 00 01 63", MALFORMED_PACKET, "MQTT-3.1.2-13");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-22] a password needs a user name; v5 section 3.1.2.9 allows a password alone")
    void passwordWithoutUserName() {
        assertRejected(null, "10 10 00 04 4D 51 54 54 04 42 00 3C 00 01 63 00 01 70", MALFORMED_PACKET, "MQTT-3.1.2-22");
        Connect c = (Connect) assertAccepted(null, "10 11 00 04 4D 51 54 54 05 42 00 3C 00 00 01 63 00 01 70").packet();
        assertEquals(null, c.userName());
        assertEquals("70", Hex.of(c.password()));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.7.1-1] v5 [MQTT-4.7.0-1] a Will Topic is a Topic Name: no wildcards (a Protocol Error, 5.0 section 1.2)")
    void willTopicWildcard() {
        assertRejected(null, "10 15 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 03 61 2F 23 00 01 6D", PROTOCOL_ERROR,
                "MQTT-4.7.1-1");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.1.2-2] an unsupported Protocol Level is reported as Unsupported Protocol Version")
    void unsupportedProtocolLevel() {
        DecodeResult.DecodeError e = assertRejected(null, "10 0D 00 04 4D 51 54 54 06 02 00 3C 00 01 63",
                UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-2");
        assertEquals(0x84, e.reason().value());
        assertRejected(null, "10 0F 00 06 4D 51 49 73 64 70 04 02 00 3C 00 01 63", UNSUPPORTED_PROTOCOL_VERSION,
                "MQTT-3.1.2-2");
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] section 3.1.4: an error in a CONNECT body carries the version its Protocol Level states, so 5.0 can get CONNACK 0x81")
    void connectErrorCarriesVersion() {
        MqttDecoder decoder = new MqttDecoder(1 << 20);
        // 5.0 CONNECT with a Topic Alias property, which CONNECT may not carry
        DecodeResult v5 = decoder.decode(ByteBuffer.wrap(Hex.bytes(
                "10 11 00 04 4D 51 54 54 05 02 00 3C 03 23 00 01 00 01 63")), null);
        DecodeResult.DecodeError e5 = assertInstanceOf(DecodeResult.DecodeError.class, v5);
        assertTrue(e5.reason().isError(), e5.toString());
        assertEquals(V5, e5.version());
        // 3.1.1 CONNECT with the reserved flag set [v3.1.1 MQTT-3.1.2-3]
        DecodeResult.DecodeError e3 = assertInstanceOf(DecodeResult.DecodeError.class, decoder.decode(
                ByteBuffer.wrap(Hex.bytes("10 0D 00 04 4D 51 54 54 04 03 00 3C 00 01 63")), null));
        assertEquals(V3, e3.version());
        // unknown level, or a name that does not fit it: no version
        assertNull(assertRejected(null, "10 0D 00 04 4D 51 54 54 06 02 00 3C 00 01 63",
                UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-2").version());
        assertNull(assertInstanceOf(DecodeResult.DecodeError.class, decoder.decode(
                ByteBuffer.wrap(Hex.bytes("10 0D 00 04 4D 51 54 58 05 02 00 3C 00 01 63")), null)).version());
        // after CONNECT, errors carry the connection's version
        assertEquals(V5, assertInstanceOf(DecodeResult.DecodeError.class, decoder.decode(
                ByteBuffer.wrap(Hex.bytes("40 01 00")), V5)).version());
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.1.2-1] a Protocol Name other than MQTT (or MQIsdp for 3.1) is refused")
    void wrongProtocolName() {
        assertRejected(null, "10 0D 00 04 4D 51 54 58 04 02 00 3C 00 01 63", UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-1");
    }

    @Test
    @DisplayName("v3.1 CONNECT (MQIsdp, level 3) is accepted like 3.1.1, with any Client Identifier length")
    void mqtt31Accepted() {
        Connect c = (Connect) assertAccepted(null,
                "10 26 00 06 4D 51 49 73 64 70 03 02 00 3C 00 18 61 62 63 64 65 66 67 68 69 6A 6B 6C 6D 6E 6F 70 71 72 73 74 75 76 77 78")
                .packet();
        assertEquals(ProtocolVersion.MQTT_3_1, c.version());
        assertEquals(24, c.clientId().length());
    }

    // ------------------------------------------------------------- CONNACK

    @Test
    @DisplayName("v5 [MQTT-3.2.2-1] the reserved Connect Acknowledge Flags must be 0")
    void connackReservedFlags() {
        assertRejected(V5, "20 03 02 00 00", MALFORMED_PACKET, "MQTT-3.2.2-1");
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-8] CONNACK reason codes come from the Connect Reason Code table; v3.1.1 return codes are 0..5")
    void connackReasonCodes() {
        assertRejected(V5, "20 03 00 8B 00", MALFORMED_PACKET, "MQTT-3.2.2-8");
        assertRejected(V3, "20 02 00 06", MALFORMED_PACKET, "3.1.1 section 3.2.2.3");
    }

    // ------------------------------------------------------------- acknowledgements

    @Test
    @DisplayName("v5 [MQTT-3.4.2-1] [MQTT-3.5.2-1] [MQTT-3.6.2-1] [MQTT-3.7.2-1] each ack uses only its own reason codes")
    void publishAckReasonCodes() {
        assertRejected(V5, "40 03 00 0A 05", MALFORMED_PACKET, "MQTT-3.4.2-1");
        assertRejected(V5, "50 03 00 0A 92", MALFORMED_PACKET, "MQTT-3.5.2-1");
        assertRejected(V5, "62 03 00 0A 10", MALFORMED_PACKET, "MQTT-3.6.2-1");
        assertRejected(V5, "70 03 00 0A 80", MALFORMED_PACKET, "MQTT-3.7.2-1");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.9.3-2] SUBACK codes are 0x00, 0x01, 0x02, 0x80; v5 [MQTT-3.9.3-2] only Subscribe Reason Codes")
    void subackReasonCodes() {
        assertRejected(V3, "90 03 00 0A 03", MALFORMED_PACKET, "MQTT-3.9.3-2");
        assertRejected(V3, "90 03 00 0A 87", MALFORMED_PACKET, "MQTT-3.9.3-2");
        assertRejected(V5, "90 04 00 0A 00 10", MALFORMED_PACKET, "MQTT-3.9.3-2");
    }

    @Test
    @DisplayName("v5 [MQTT-3.11.3-2] UNSUBACK uses only Unsubscribe Reason Codes")
    void unsubackReasonCodes() {
        assertRejected(V5, "B0 04 00 0A 00 10", MALFORMED_PACKET, "MQTT-3.11.3-2");
    }

    @Test
    @DisplayName("v5 [MQTT-3.14.2-1] DISCONNECT uses only Disconnect Reason Codes")
    void disconnectReasonCodes() {
        assertRejected(V5, "E0 01 84", MALFORMED_PACKET, "MQTT-3.14.2-1");
    }

    @Test
    @DisplayName("v5 [MQTT-3.15.2-1] AUTH uses only Authenticate Reason Codes")
    void authReasonCodes() {
        assertRejected(V5, "F0 02 87 00", MALFORMED_PACKET, "MQTT-3.15.2-1");
    }

    // ------------------------------------------------------------- SUBSCRIBE / UNSUBSCRIBE

    @Test
    @DisplayName("v3.1.1 [MQTT-3.8.3-3] v5 [MQTT-3.8.3-2] a SUBSCRIBE without a Topic Filter is a protocol violation")
    void emptySubscribe() {
        assertRejected(V3, "82 02 00 0A", PROTOCOL_ERROR, "MQTT-3.8.3-3");
        assertRejected(V5, "82 03 00 0A 00", PROTOCOL_ERROR, "MQTT-3.8.3-2");
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.10.3-2] an UNSUBSCRIBE without a Topic Filter is a protocol violation")
    void emptyUnsubscribe() {
        assertRejected(V3, "A2 02 00 0A", PROTOCOL_ERROR, "MQTT-3.10.3-2");
        assertRejected(V5, "A2 03 00 0A 00", PROTOCOL_ERROR, "MQTT-3.10.3-2");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3-8.3-4] Requested QoS byte: reserved bits set or QoS 3 is malformed")
    void subscribeOptionsV311() {
        assertRejected(V3, "82 06 00 0A 00 01 61 04", MALFORMED_PACKET, "MQTT-3-8.3-4");
        assertRejected(V3, "82 06 00 0A 00 01 61 03", MALFORMED_PACKET, "MQTT-3-8.3-4");
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.3-5] reserved Subscription Options bits set is malformed")
    void subscribeOptionsReservedV5() {
        assertRejected(V5, "82 07 00 0A 00 00 01 61 40", MALFORMED_PACKET, "MQTT-3.8.3-5");
        assertRejected(V5, "82 07 00 0A 00 00 01 61 80", MALFORMED_PACKET, "MQTT-3.8.3-5");
    }

    @Test
    @DisplayName("v5 section 3.8.3.1: Maximum QoS 3 and Retain Handling 3 are Protocol Errors, as the section says")
    void subscribeOptionsValuesV5() {
        assertRejected(V5, "82 07 00 0A 00 00 01 61 03", PROTOCOL_ERROR, "5.0 section 3.8.3.1");
        assertRejected(V5, "82 07 00 0A 00 00 01 61 30", PROTOCOL_ERROR, "5.0 section 3.8.3.1");
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.3-4] No Local on a Shared Subscription is a protocol error")
    void noLocalOnSharedSubscription() {
        assertRejected(V5, "82 10 00 0A 00 00 0A 24 73 68 61 72 65 2F 67 2F 74 04", PROTOCOL_ERROR, "MQTT-3.8.3-4");
    }

    // ------------------------------------------------------------- incremental decoding

    @Test
    @DisplayName("an incomplete frame is NeedMoreBytes and consumes nothing, however little has arrived")
    void needMoreBytes() {
        MqttDecoder decoder = new MqttDecoder(1 << 20);
        for (String hex : new String[] {"", "30", "30 80", "30 80 80", "32 09 00 03 61", "32 09 00 03 61 2F 62 00 0A 01"}) {
            ByteBuffer in = ByteBuffer.wrap(Hex.bytes(hex));
            assertSame(DecodeResult.NeedMoreBytes.INSTANCE, decoder.decode(in, ProtocolVersion.MQTT_3_1_1), hex);
            assertEquals(0, in.position(), hex);
        }
    }

    @Test
    @DisplayName("a decoded frame consumes exactly its bytes; the decoder never looks past the limit")
    void consumesExactlyOneFrame() {
        MqttDecoder decoder = new MqttDecoder(1 << 20);
        ByteBuffer in = ByteBuffer.wrap(Hex.bytes("C0 00 32 09 00 03 61 2F 62 00 0A 01 02 FF FF"));
        in.limit(12); // the PUBLISH lacks its last byte inside the limit
        assertEquals(new DecodeResult.Decoded(io.checkedmqtt.core.packet.PingReq.INSTANCE, 2), decoder.decode(in, V3));
        assertEquals(2, in.position());
        assertSame(DecodeResult.NeedMoreBytes.INSTANCE, decoder.decode(in, V3));
        assertEquals(2, in.position());
        assertEquals(12, in.limit());
        in.limit(13);
        DecodeResult r = decoder.decode(in, V3);
        assertEquals(new DecodeResult.Decoded(
                new Publish("a/b", new byte[] {1, 2}, QoS.AT_LEAST_ONCE, false, false, 10, Properties.EMPTY), 11), r);
        assertEquals(13, in.position());
        assertEquals(13, in.limit());
    }

    @Test
    @DisplayName("a read-only or direct buffer decodes the same as a heap buffer")
    void otherBufferKinds() {
        byte[] bytes = Hex.bytes("32 09 00 03 61 2F 62 00 0A 01 02");
        DecodeResult heap = new MqttDecoder(100).decode(ByteBuffer.wrap(bytes), V3);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        assertEquals(heap, new MqttDecoder(100).decode(direct, V3));
        assertEquals(heap, new MqttDecoder(100).decode(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), V3));
    }
}
