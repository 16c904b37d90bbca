package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.effect.DurableRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Reading a log back after a crash: a file cut at any byte (a write the crash interrupted) gives
 * a prefix of its frames and an honest tail; damage is told apart from a torn tail by whether a
 * valid frame follows it.
 */
class LogFramesTest {

    /** Small records, so that the file can be cut at every offset in a moment. */
    private static List<List<DurableRecord>> batches(long seed, int frames) {
        RecordGenerator generator = new RecordGenerator(seed, false);
        List<List<DurableRecord>> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            out.add(generator.records(1 + i % 3));
        }
        return out;
    }

    private static ByteBuffer cut(ByteBuffer file, int length) {
        ByteBuffer copy = ByteBuffer.allocate(length);
        copy.put(file.duplicate().limit(length));
        return copy.flip();
    }

    @Test
    @DisplayName("a log cut at every byte offset reads as a prefix of its frames; the bytes after the last whole frame are the torn tail")
    void truncationAtEveryOffsetGivesAPrefix() {
        qt().withExamples(12).forAll(longs().all()).checkAssert(seed -> {
            List<List<DurableRecord>> written = batches(seed, 5);
            ByteBuffer file = LogImage.write(written);
            List<Integer> frameEnds = new ArrayList<>();
            for (LogFrames.Frame f : LogImage.scan(file).frames()) {
                frameEnds.add(f.payloadOffset() + f.length());
            }
            for (int length = LogFrames.FILE_HEADER_BYTES; length <= file.limit(); length++) {
                ByteBuffer torn = cut(file, length);
                LogFrames.Scan scan = LogImage.scan(torn);
                int whole = 0;
                while (whole < frameEnds.size() && frameEnds.get(whole) <= length) {
                    whole++;
                }
                assertEquals(written.subList(0, whole), LogImage.read(torn), "cut at " + length);
                assertTrue(scan.damage().isEmpty(), "a cut is never damage in the middle, at " + length);
                int end = whole == 0 ? LogFrames.FILE_HEADER_BYTES : frameEnds.get(whole - 1);
                assertEquals(end, scan.end());
                assertEquals(length - end, scan.tail());
            }
        });
    }

    @Test
    @DisplayName("a damaged byte in any frame but the last is damage in the middle, with every other frame still read; in the last frame it is a torn tail")
    void damageInTheMiddleIsNotATornTail() {
        qt().withExamples(100).forAll(longs().all(), integers().between(0, 3)).checkAssert((seed, victim) -> {
            List<List<DurableRecord>> written = batches(seed, 4);
            ByteBuffer file = LogImage.write(written);
            LogFrames.Frame frame = LogImage.scan(file).frames().get(victim);
            int at = frame.payloadOffset() + (int) Math.floorMod(seed, (long) frame.length());
            file.put(at, (byte) ~file.get(at));
            LogFrames.Scan scan = LogImage.scan(file);
            List<List<DurableRecord>> expected = new ArrayList<>(written);
            expected.remove((int) victim);
            assertEquals(expected, LogImage.read(file));
            if (victim < 3) {
                assertEquals(1, scan.damage().size());
                assertEquals(frame.payloadOffset() - LogFrames.FRAME_HEADER_BYTES, scan.damage().get(0).offset());
                assertEquals(0, scan.tail());
            } else {
                assertTrue(scan.damage().isEmpty());
                assertEquals(frame.length() + LogFrames.FRAME_HEADER_BYTES, scan.tail());
            }
        });
    }

    @Test
    @DisplayName("zeros after the last frame (pages a power loss left unwritten) are a torn tail")
    void zeroTail() {
        ByteBuffer file = LogImage.write(batches(7, 2));
        ByteBuffer padded = ByteBuffer.allocate(file.limit() + 4096);
        padded.put(file.duplicate()).position(0);
        LogFrames.Scan scan = LogImage.scan(padded);
        assertEquals(2, scan.frames().size());
        assertEquals(4096, scan.tail());
        assertEquals(file.limit(), scan.end());
    }
}
