package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** The data types of 5.0 section 1.5 / 3.1.1 section 1.5 and what the encoder refuses to send. */
class DataTypesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0, 00", "127, 7F", "128, 80 01", "16383, FF 7F", "16384, 80 80 01",
            "2097151, FF FF 7F", "2097152, 80 80 80 01", "268435455, FF FF FF 7F"})
    @DisplayName("v5 [MQTT-1.5.5-1] Variable Byte Integer boundaries of Table 1-1 (3.1.1 Table 2.4), shortest form")
    void variableByteIntegerBoundaries(int value, String hex) {
        ByteBuffer out = ByteBuffer.allocate(4);
        VariableByteInteger.write(value, out);
        assertEquals(hex, Hex.of(java.util.Arrays.copyOf(out.array(), out.position())));
        assertEquals(out.position(), VariableByteInteger.size(value));
        out.flip();
        assertEquals(value, VariableByteInteger.read(out, "test"));
    }

    @Test
    @DisplayName("values outside 0..268,435,455 are no Variable Byte Integer")
    void variableByteIntegerRange() {
        assertThrows(IllegalArgumentException.class, () -> VariableByteInteger.size(268_435_456));
        assertThrows(IllegalArgumentException.class, () -> VariableByteInteger.write(-1, ByteBuffer.allocate(8)));
    }

    @Test
    @DisplayName("UTF-8 length and bytes agree with the JDK for 1-, 2-, 3- and 4-byte characters, U+FEFF included")
    void utf8Encoding() {
        String s = "a\u00e9\u20ac\uFEFF\uD83D\uDE00z";
        byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(jdk.length, Utf8.encodedLength(s));
        ByteBuffer out = ByteBuffer.allocate(jdk.length);
        Utf8.write(s, out);
        assertEquals(Hex.of(jdk), Hex.of(out.array()));
        assertEquals(Utf8.VALID, Utf8.check(ByteBuffer.wrap(jdk), 0, jdk.length));
    }

    @Test
    @DisplayName("v5 [MQTT-1.5.4-1/2] the encoder refuses strings with U+0000 or an unpaired surrogate")
    void encoderRefusesInvalidStrings() {
        assertThrows(IllegalArgumentException.class, () -> Utf8.encodedLength("a\u0000"));
        assertThrows(IllegalArgumentException.class, () -> Utf8.encodedLength("a\uD800"));
        assertThrows(IllegalArgumentException.class, () -> Utf8.encodedLength("\uDC00a"));
    }

    @Test
    @DisplayName("isWellFormed: the Payload Format Indicator check accepts U+0000 but not ill-formed bytes")
    void payloadUtf8Helper() {
        assertTrue(Utf8.isWellFormed("h\u0000llo \u20ac".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Utf8.isWellFormed(Hex.bytes("ED A0 80")));
        assertFalse(Utf8.isWellFormed(Hex.bytes("E2 82")));
        assertTrue(Utf8.isWellFormed(Hex.bytes("F4 8F BF BF")), "U+10FFFF, the largest code point");
        assertFalse(Utf8.isWellFormed(Hex.bytes("F4 90 80 80")), "above U+10FFFF");
    }

    @Test
    @DisplayName("v5 [MQTT-1.5.4-1] the one UTF-8 check agrees with the JDK's strict decoder on arbitrary bytes (U+0000 allowed)")
    void utf8CheckAgreesWithJdk() {
        qt().withExamples(5_000).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 12)).check(ints -> {
            byte[] bytes = new byte[ints.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (int) ints.get(i);
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                jdk = true;
            } catch (CharacterCodingException e) {
                jdk = false;
            }
            return Utf8.isWellFormed(bytes) == jdk;
        });
    }

    @Test
    @DisplayName("v5 [MQTT-2.2.1-3] the encoder refuses a QoS 1 PUBLISH with Packet Identifier 0, before writing anything")
    void encoderRefusesZeroPacketId() {
        Publish p = new Publish("t", new byte[0], QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY);
        ByteBuffer out = ByteBuffer.allocate(64);
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(p, ProtocolVersion.MQTT_5, out));
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.3-2] the encoder refuses an empty SUBSCRIBE")
    void encoderRefusesEmptySubscribe() {
        assertThrows(IllegalArgumentException.class, () ->
                MqttCodec.encodeToBytes(new Subscribe(1, List.of(), Properties.EMPTY), ProtocolVersion.MQTT_5));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.2.2-6] a CONNACK code with no 3.1.1 return code is refused; near equivalents map")
    void connackReturnCodes() {
        assertThrows(IllegalArgumentException.class, () ->
                MqttCodec.encodeToBytes(new Connack(false, ReasonCode.MALFORMED_PACKET, Properties.EMPTY), ProtocolVersion.MQTT_3_1_1));
        assertEquals("20 02 00 05", Hex.of(MqttCodec.encodeToBytes(new Connack(false, ReasonCode.BANNED, Properties.EMPTY),
                ProtocolVersion.MQTT_3_1_1)));
        for (int code = 0; code <= 5; code++) {
            assertEquals(code, ConnackReturnCodes.returnCode(ConnackReturnCodes.fromReturnCode(code)));
        }
    }

    @Test
    @DisplayName("v3.1.1 has no AUTH packet; the encoder refuses it")
    void noAuthIn311() {
        assertThrows(IllegalArgumentException.class, () ->
                MqttCodec.encodeToBytes(new Auth(ReasonCode.SUCCESS, Properties.EMPTY), ProtocolVersion.MQTT_3_1_1));
    }

    @Test
    @DisplayName("encode refuses a buffer that is too small, and writes nothing into it")
    void bufferTooSmall() {
        ByteBuffer out = ByteBuffer.allocate(3);
        assertThrows(BufferOverflowException.class, () -> MqttEncoder.encode(new io.checkedmqtt.core.packet.PubAck(1),
                ProtocolVersion.MQTT_3_1_1, out));
        assertEquals(0, out.position());
    }
}
