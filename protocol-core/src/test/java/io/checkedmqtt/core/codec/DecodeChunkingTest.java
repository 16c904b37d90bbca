package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;

/**
 * The decoder's answers do not depend on how the bytes arrive: fed chunk by chunk through a read
 * buffer, the way the shell feeds it, it answers the same packets, the same error (version
 * included) and the same consumed lengths as when the whole stream is there at once, for valid
 * streams, corrupted frames, wrong versions and small size limits. And the result contract the
 * shell relies on: a packet consumes exactly its frame, anything else consumes nothing.
 */
class DecodeChunkingTest {

    /** One stream to decode: the bytes, the version to decode them as, the size limit. */
    record Case(byte[] bytes, ProtocolVersion version, int maximumPacketSize) {
        @Override
        public String toString() {
            return "Case[" + Hex.of(bytes) + ", " + version + ", max " + maximumPacketSize + "]";
        }
    }

    /** Mostly valid frames of one version, some with bytes overwritten, some decoded as another version. */
    static Gen<Case> cases() {
        return in -> {
            PacketGenerators.Draw d = new PacketGenerators.Draw(in);
            ProtocolVersion v = d.pick(List.of(ProtocolVersion.values()));
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int frames = d.between(1, 5);
            for (int i = 0; i < frames; i++) {
                byte[] frame = MqttCodec.encodeToBytes(d.packet(v), v);
                if (d.between(0, 3) == 0) {
                    int changes = d.between(1, 3);
                    for (int c = 0; c < changes; c++) {
                        frame[d.between(0, frame.length - 1)] = (byte) d.between(0, 255);
                    }
                }
                stream.writeBytes(frame);
            }
            ProtocolVersion decodeAs = d.between(0, 3) == 0
                    ? d.pick(Arrays.asList(null, ProtocolVersion.MQTT_3_1, ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5))
                    : v;
            int maximum = d.bool() ? Integer.MAX_VALUE : d.between(2, 300);
            return new Case(stream.toByteArray(), decodeAs, maximum);
        };
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-4.8.0-1 / MQTT-4.13.1-1] chunked and whole input get the same packets, errors and lengths")
    void chunkingChangesNoAnswer() {
        qt().withExamples(CodecPropertiesTest.EXAMPLES * 2)
                .forAll(cases(), PacketGenerators.chunkSizes())
                .checkAssert((c, chunks) -> assertEquals(
                        answers(run(c, List.of(c.bytes().length))), answers(run(c, chunks)), c.toString()));
    }

    @Test
    @DisplayName("a PUBLISH consumes exactly its frame; a prefix is NeedMoreBytes and a bad frame an error, neither consuming anything")
    void resultContract() {
        Publish publish = new Publish("sensors/room1/tp", new byte[64], QoS.AT_LEAST_ONCE, false, false, 42, Properties.EMPTY);
        byte[] frame = MqttCodec.encodeToBytes(publish, ProtocolVersion.MQTT_5);
        MqttDecoder decoder = new MqttDecoder(1 << 20);

        ByteBuffer whole = ByteBuffer.wrap(frame);
        assertEquals(new DecodeResult.Decoded(publish, frame.length), decoder.decode(whole, ProtocolVersion.MQTT_5));
        assertEquals(frame.length, whole.position());

        ByteBuffer prefix = ByteBuffer.wrap(frame, 0, frame.length - 1);
        assertSame(DecodeResult.NeedMoreBytes.INSTANCE, decoder.decode(prefix, ProtocolVersion.MQTT_5));
        assertEquals(0, prefix.position());

        byte[] badFlags = frame.clone();
        badFlags[0] = (byte) 0x36;   // QoS 3 [MQTT-3.3.1-4]
        ByteBuffer bad = ByteBuffer.wrap(badFlags);
        DecodeResult.DecodeError error = assertInstanceOf(DecodeResult.DecodeError.class,
                decoder.decode(bad, ProtocolVersion.MQTT_5));
        assertEquals(ReasonCode.MALFORMED_PACKET, error.reason());
        assertSame(ProtocolVersion.MQTT_5, error.version());
        assertEquals(0, bad.position());
        assertEquals(badFlags.length, bad.limit());
    }

    /** The answers of a run without the NeedMoreBytes between them, which only say where a chunk ended. */
    static List<Step> answers(List<Step> steps) {
        return steps.stream().filter(s -> !(s.result() instanceof DecodeResult.NeedMoreBytes)).toList();
    }

    /** What one run answers, call by call, with how many bytes of the stream were consumed after each call. */
    record Step(DecodeResult result, int consumedAfter) {
    }

    /** Feeds the bytes chunk by chunk through a read buffer, the way the selector shell does, until used up or refused. */
    static List<Step> run(Case c, List<Integer> chunks) {
        MqttDecoder decoder = new MqttDecoder(c.maximumPacketSize());
        byte[] bytes = c.bytes();
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length);
        List<Step> steps = new ArrayList<>();
        int offset = 0;
        int chunk = 0;
        int compactedAway = 0;
        while (offset < bytes.length) {
            int n = Math.min(chunks.get(chunk++ % chunks.size()), bytes.length - offset);
            buffer.put(bytes, offset, n);
            offset += n;
            buffer.flip();
            while (true) {
                int limit = buffer.limit();
                DecodeResult r = decoder.decode(buffer, c.version());
                assertEquals(limit, buffer.limit(), "limit restored");
                steps.add(new Step(r, compactedAway + buffer.position()));
                if (r instanceof DecodeResult.DecodeError) {
                    return steps;
                } else if (!(r instanceof DecodeResult.Decoded)) {
                    break;
                }
            }
            compactedAway += buffer.position();
            buffer.compact();
        }
        return steps;
    }
}
