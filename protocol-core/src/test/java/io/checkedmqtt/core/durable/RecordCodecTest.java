package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.effect.DurableRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

class RecordCodecTest {

    @Test
    @DisplayName("every kind of record reads back equal, at most maxSize bytes, with edge values (65,535-byte ids and topics, 300 KB payloads, properties)")
    void roundTrip() {
        qt().withExamples(100).forAll(longs().all()).checkAssert(seed -> {
            List<DurableRecord> records = new RecordGenerator(seed).records(20);
            for (DurableRecord r : records) {
                ByteBuffer buffer = ByteBuffer.allocate(RecordCodec.maxSize(r));
                RecordCodec.write(r, buffer);
                buffer.flip();
                assertEquals(r, RecordCodec.read(buffer));
                assertEquals(0, buffer.remaining(), "read stops where the record ends");
            }
        });
    }

    @Test
    @DisplayName("bytes that are no record are refused with RecordFormatException, never another exception")
    void garbage() {
        qt().withExamples(2_000).forAll(longs().all()).checkAssert(seed -> {
            java.util.Random random = new java.util.Random(seed);
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = (byte) (1 + random.nextInt(14));   // mostly a real tag, so the fields are read
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            try {
                while (in.hasRemaining()) {
                    RecordCodec.read(in);
                }
            } catch (RecordFormatException expected) {
                assertTrue(expected.getMessage() != null);
            }
        });
        assertThrows(RecordFormatException.class, () -> RecordCodec.read(ByteBuffer.wrap(new byte[] {99, 0, 0, 0, 0})));
    }
}
