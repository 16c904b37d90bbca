package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

/**
 * Properties of the codec over generated packets and byte strings (QuickTheories): encoding
 * then decoding gives the packet back, for every version; how the bytes are split does not
 * matter; and any byte string at all gets an answer without an exception, an endless loop, or a
 * read past the input.
 */
class CodecPropertiesTest {

    static final int EXAMPLES = 2_000;

    static ProtocolVersion decodeVersion(Packet p, ProtocolVersion version) {
        return p instanceof Connect ? null : version;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.ALL)
    @DisplayName("frameLength reads a frame's length from its fixed header alone, consuming nothing; 0 before the header is in")
    void frameLengthFromTheFixedHeader(ProtocolVersion version) {
        qt().withExamples(EXAMPLES).forAll(PacketGenerators.packets(version), Generate.range(0, 6)).checkAssert((p, cut) -> {
            ByteBuffer whole = ByteBuffer.allocate(MqttEncoder.encodedSize(p, version));
            MqttEncoder.encode(p, version, whole);
            int size = whole.position();
            int headerLength = size - MqttEncoder.remainingLength(p, version);
            ByteBuffer prefix = whole.flip().limit(Math.min(cut, size));
            MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
            int expected = prefix.remaining() >= headerLength ? size : MqttDecoder.HEADER_INCOMPLETE_LENGTH;
            assertEquals(expected, decoder.frameLength(prefix, decodeVersion(p, version)));
            assertEquals(0, prefix.position(), "nothing consumed");
            if (prefix.remaining() >= headerLength && size > 2) {
                assertEquals(MqttDecoder.REFUSED_LENGTH, new MqttDecoder(size - 1).frameLength(prefix, decodeVersion(p, version)),
                        "a frame over the maximum is refused from its header");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.ALL)
    @DisplayName("a PUBLISH's header (encodePublishHeader) followed by its payload is exactly its encoding")
    void publishHeaderThenPayload(ProtocolVersion version) {
        qt().withExamples(EXAMPLES).forAll(PacketGenerators.packets(version)).checkAssert(p -> {
            if (!(p instanceof io.checkedmqtt.core.packet.Publish publish)) {
                return;
            }
            ByteBuffer whole = ByteBuffer.allocate(MqttEncoder.encodedSize(publish, version));
            MqttEncoder.encode(publish, version, whole);
            ByteBuffer split = ByteBuffer.allocate(MqttEncoder.publishHeaderSize(publish, version) + publish.payload().length);
            MqttEncoder.encodePublishHeader(publish, version, split);
            assertEquals(MqttEncoder.publishHeaderSize(publish, version), split.position(), "header bytes written");
            split.put(publish.payload());
            assertEquals(whole.flip(), split.flip());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.ALL)
    @DisplayName("decode(encode(p)) == p for arbitrary valid packets, and encodedSize is the number of bytes written")
    void roundTrip(ProtocolVersion version) {
        qt().withExamples(EXAMPLES).forAll(PacketGenerators.packets(version)).checkAssert(p -> {
            int size = MqttEncoder.encodedSize(p, version);
            ByteBuffer out = ByteBuffer.allocate(size + 7);
            MqttEncoder.encode(p, version, out);
            assertEquals(size, out.position(), "bytes written");
            out.flip();
            DecodeResult r = new MqttDecoder(Integer.MAX_VALUE).decode(out, decodeVersion(p, version));
            assertEquals(new DecodeResult.Decoded(p, size), r);
            assertEquals(size, out.position());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.ALL)
    @DisplayName("the same bytes split into arbitrary chunks decode to the same packets")
    void chunking(ProtocolVersion version) {
        qt().withExamples(EXAMPLES / 2)
                .forAll(PacketGenerators.packetLists(version, 6), PacketGenerators.chunkSizes())
                .checkAssert((packets, chunks) -> {
                    ByteBuffer stream = ByteBuffer.allocate(packets.stream().mapToInt(p -> MqttEncoder.encodedSize(p, version)).sum());
                    packets.forEach(p -> MqttEncoder.encode(p, version, stream));
                    byte[] bytes = stream.array();
                    assertEquals(packets, decodeInChunks(bytes, chunks, version));
                });
    }

    /** Feeds the bytes through a read buffer, chunk by chunk, the way the shell does; every frame must decode. */
    static List<Packet> decodeInChunks(byte[] bytes, List<Integer> chunks, ProtocolVersion version) {
        List<Packet> decoded = new ArrayList<>();
        int consumed = 0;
        for (DecodeChunkingTest.Step step
                : DecodeChunkingTest.run(new DecodeChunkingTest.Case(bytes, version, Integer.MAX_VALUE), chunks)) {
            if (step.result() instanceof DecodeResult.Decoded d) {
                decoded.add(d.packet());
                consumed = step.consumedAfter();
            } else if (!(step.result() instanceof DecodeResult.NeedMoreBytes)) {
                fail("unexpected " + step.result());
            }
        }
        assertEquals(bytes.length, consumed, "bytes left over");
        return decoded;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.ALL)
    @DisplayName("every proper prefix of a valid frame is NeedMoreBytes and consumes nothing")
    void prefixesNeedMoreBytes(ProtocolVersion version) {
        qt().withExamples(EXAMPLES / 4).forAll(PacketGenerators.packets(version)).checkAssert(p -> {
            byte[] frame = MqttCodec.encodeToBytes(p, version);
            MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
            for (int length = 0; length < frame.length; length++) {
                ByteBuffer in = ByteBuffer.wrap(frame, 0, length).slice();
                assertSame(DecodeResult.NeedMoreBytes.INSTANCE, decoder.decode(in, decodeVersion(p, version)), "prefix " + length);
                assertEquals(0, in.position());
            }
        });
    }

    static final Gen<ProtocolVersion> VERSIONS_OR_NULL = Generate.pick(Arrays.asList(null, ProtocolVersion.MQTT_3_1,
            ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5));

    @Test
    @DisplayName("arbitrary byte strings: the decoder never throws, never loops, and answers within bounded work")
    void arbitraryBytes() {
        Gen<byte[]> bytes = Generate.byteArrays(Generate.range(0, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        qt().withExamples(EXAMPLES * 5).forAll(bytes, VERSIONS_OR_NULL, Generate.range(2, 400))
                .checkAssert(CodecPropertiesTest::decodeEverything);
    }

    @Test
    @DisplayName("valid frames with bytes overwritten: the decoder never throws and never loops")
    void mutatedFrames() {
        Gen<byte[]> mutated = in -> {
            PacketGenerators.Draw d = new PacketGenerators.Draw(in);
            ProtocolVersion v = d.pick(List.of(ProtocolVersion.values()));
            byte[] frame = MqttCodec.encodeToBytes(d.packet(v), v);
            int changes = d.between(1, 3);
            for (int i = 0; i < changes; i++) {
                frame[d.between(0, frame.length - 1)] = (byte) d.between(0, 255);
            }
            return frame;
        };
        qt().withExamples(EXAMPLES * 5).forAll(mutated, VERSIONS_OR_NULL, Generate.range(2, 1000))
                .checkAssert(CodecPropertiesTest::decodeEverything);
    }

    /**
     * Decodes until the input is used up or refused. Each call must consume a whole frame or nothing,
     * so the loop runs at most once per two bytes; a Decoded packet must survive a round trip.
     */
    static void decodeEverything(byte[] bytes, ProtocolVersion version, int maximumPacketSize) {
        MqttDecoder decoder = new MqttDecoder(maximumPacketSize);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        ProtocolVersion current = version;
        int calls = 0;
        while (true) {
            assertTrue(++calls <= bytes.length / 2 + 1, "more calls than frames can fit");
            int before = in.position();
            DecodeResult r = decoder.decode(in, current);
            assertEquals(bytes.length, in.limit(), "limit restored");
            if (r instanceof DecodeResult.Decoded d) {
                assertTrue(d.frameLength() >= 2 && d.frameLength() <= maximumPacketSize);
                assertEquals(before + d.frameLength(), in.position());
                if (d.packet() instanceof Connect c) {
                    current = c.version();
                }
                ProtocolVersion v = current;
                byte[] again = MqttCodec.encodeToBytes(d.packet(), v);
                assertEquals(d.packet(), assertInstanceOf(DecodeResult.Decoded.class,
                        MqttCodec.decodeOne(again, d.packet() instanceof Connect ? null : v)).packet());
            } else {
                assertEquals(before, in.position(), "nothing consumed on " + r);
                return;
            }
        }
    }
}
