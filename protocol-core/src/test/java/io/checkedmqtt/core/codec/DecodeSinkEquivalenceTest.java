package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Packet;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

/**
 * The sink entry point {@link MqttDecoder#decode(ByteBuffer, ProtocolVersion, DecodeSink)} answers
 * exactly what the result entry point answers: the same packets, the same errors (version
 * included), the same consumed lengths, and the same buffer positions, however the bytes are
 * chunked, for valid streams, corrupted frames, wrong versions and small size limits.
 */
class DecodeSinkEquivalenceTest {

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
    @DisplayName("v3.1.1 and v5 [MQTT-4.8.0-1 / MQTT-4.13.1-1] sink and result decoding agree on packets, errors and lengths over chunked input")
    void sinkAgreesWithResult() {
        qt().withExamples(CodecPropertiesTest.EXAMPLES * 2)
                .forAll(cases(), PacketGenerators.chunkSizes())
                .checkAssert((c, chunks) -> assertEquals(
                        decodeWithResults(c, chunks), decodeWithSink(c, chunks), c.toString()));
    }

    @Test
    @DisplayName("the sink path reports a PUBLISH with its frame length, 0 for a prefix, -1 with the error for a bad frame")
    void sinkContract() {
        Publish publish = new Publish("sensors/room1/tp", new byte[64], QoS.AT_LEAST_ONCE, false, false, 42, Properties.EMPTY);
        byte[] frame = MqttCodec.encodeToBytes(publish, ProtocolVersion.MQTT_5);
        MqttDecoder decoder = new MqttDecoder(1 << 20);
        Recorder sink = new Recorder();

        ByteBuffer whole = ByteBuffer.wrap(frame);
        assertEquals(frame.length, decoder.decode(whole, ProtocolVersion.MQTT_5, sink));
        assertEquals(List.of(publish), sink.events);
        assertEquals(frame.length, whole.position());

        sink.events.clear();
        ByteBuffer prefix = ByteBuffer.wrap(frame, 0, frame.length - 1);
        assertEquals(0, decoder.decode(prefix, ProtocolVersion.MQTT_5, sink));
        assertEquals(List.of(), sink.events);
        assertEquals(0, prefix.position());

        byte[] badFlags = frame.clone();
        badFlags[0] = (byte) 0x36;   // QoS 3 [MQTT-3.3.1-4]
        ByteBuffer bad = ByteBuffer.wrap(badFlags);
        assertEquals(-1, decoder.decode(bad, ProtocolVersion.MQTT_5, sink));
        DecodeResult.DecodeError error = assertInstanceOf(DecodeResult.DecodeError.class, sink.events.get(0));
        assertEquals(ReasonCode.MALFORMED_PACKET, error.reason());
        assertSame(ProtocolVersion.MQTT_5, error.version());
        assertEquals(0, bad.position());
    }

    /** Every sink call, in order. */
    static final class Recorder implements DecodeSink {
        final List<Object> events = new ArrayList<>();

        @Override
        public void packet(Packet packet) {
            events.add(packet);
        }

        @Override
        public void error(DecodeResult.DecodeError error) {
            events.add(error);
        }
    }

    /** What one chunked run answers, call by call, with the position after each call. */
    record Step(DecodeResult result, int positionAfter) {
    }

    static List<Step> decodeWithResults(Case c, List<Integer> chunks) {
        MqttDecoder decoder = new MqttDecoder(c.maximumPacketSize());
        return run(c, chunks, buffer -> decoder.decode(buffer, c.version()));
    }

    static List<Step> decodeWithSink(Case c, List<Integer> chunks) {
        MqttDecoder decoder = new MqttDecoder(c.maximumPacketSize());
        Recorder sink = new Recorder();
        return run(c, chunks, buffer -> {
            int before = buffer.position();
            sink.events.clear();
            int n = decoder.decode(buffer, c.version(), sink);
            if (n > 0) {
                assertEquals(1, sink.events.size(), "one packet call");
                assertEquals(before + n, buffer.position(), "consumed what it returned");
                return new DecodeResult.Decoded(assertInstanceOf(Packet.class, sink.events.get(0)), n);
            } else if (n == -1) {
                assertEquals(1, sink.events.size(), "one error call");
                return assertInstanceOf(DecodeResult.DecodeError.class, sink.events.get(0));
            }
            assertEquals(0, n, "only -1, 0 or a length");
            assertTrue(sink.events.isEmpty(), "no call when more bytes are needed");
            return DecodeResult.NeedMoreBytes.INSTANCE;
        });
    }

    interface Decode {
        DecodeResult next(ByteBuffer buffer);
    }

    /** Feeds the bytes chunk by chunk through a read buffer, the way the selector shell does, until used up or refused. */
    static List<Step> run(Case c, List<Integer> chunks, Decode decode) {
        byte[] bytes = c.bytes();
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length);
        List<Step> steps = new ArrayList<>();
        int offset = 0;
        int chunk = 0;
        while (offset < bytes.length) {
            int n = Math.min(chunks.get(chunk++ % chunks.size()), bytes.length - offset);
            buffer.put(bytes, offset, n);
            offset += n;
            buffer.flip();
            while (true) {
                int limit = buffer.limit();
                DecodeResult r = decode.next(buffer);
                assertEquals(limit, buffer.limit(), "limit restored");
                steps.add(new Step(r, buffer.position()));
                if (r instanceof DecodeResult.DecodeError) {
                    return steps;
                } else if (!(r instanceof DecodeResult.Decoded)) {
                    break;
                }
            }
            buffer.compact();
        }
        return steps;
    }
}
