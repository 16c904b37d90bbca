package io.checkedmqtt.core.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.ProtocolVersion;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the decoder (Jazzer). The default build runs it in regression mode:
 * the empty input plus every file under
 * {@code src/test/resources/io/checkedmqtt/core/codec/DecoderFuzzTestInputs/decodeAnything/}.
 * {@code mvn -B -ntp verify -pl protocol-core -Pfuzz -Dfuzz.duration=5m} fuzzes for real; a
 * finding is written to that directory and fails every later build until fixed.
 *
 * <p>Oracle: no exception escapes, each call consumes one whole frame or nothing, the buffer limit
 * is restored, and every packet the decoder accepts encodes and decodes back to itself.
 */
class DecoderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeAnything(FuzzedDataProvider data) {
        ProtocolVersion version = switch (data.consumeInt(0, 3)) {
            case 0 -> null;
            case 1 -> ProtocolVersion.MQTT_3_1;
            case 2 -> ProtocolVersion.MQTT_3_1_1;
            default -> ProtocolVersion.MQTT_5;
        };
        int maximumPacketSize = data.consumeInt(2, 1 << 16);
        byte[] bytes = data.consumeRemainingAsBytes();

        MqttDecoder decoder = new MqttDecoder(maximumPacketSize);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        ProtocolVersion current = version;
        while (true) {
            int before = in.position();
            DecodeResult result = decoder.decode(in, current);
            assertEquals(bytes.length, in.limit());
            if (!(result instanceof DecodeResult.Decoded decoded)) {
                assertEquals(before, in.position());
                return;
            }
            assertEquals(before + decoded.frameLength(), in.position());
            assertTrue(decoded.frameLength() <= maximumPacketSize);
            if (decoded.packet() instanceof Connect connect) {
                current = connect.version();
            }
            ProtocolVersion decodeAs = decoded.packet() instanceof Connect ? null : current;
            byte[] again = MqttCodec.encodeToBytes(decoded.packet(), current);
            assertEquals(decoded.packet(),
                    assertInstanceOf(DecodeResult.Decoded.class, MqttCodec.decodeOne(again, decodeAs)).packet());
        }
    }
}
