package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.effect.DurableRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A durable file in memory, written and read the way the shell does, for the tests of the format. */
public final class LogImage {

    private LogImage() {
    }

    /** A log file: its header, then one frame per batch (empty batches write nothing, as a pass without records). */
    public static ByteBuffer write(List<List<DurableRecord>> batches) {
        int size = LogFrames.FILE_HEADER_BYTES;
        for (List<DurableRecord> batch : batches) {
            size += LogFrames.FRAME_HEADER_BYTES;
            for (DurableRecord r : batch) {
                size += RecordCodec.maxSize(r);
            }
        }
        ByteBuffer file = ByteBuffer.allocate(size);
        file.putLong(LogFrames.LOG_FILE);
        for (List<DurableRecord> batch : batches) {
            if (batch.isEmpty()) {
                continue;
            }
            int start = file.position();
            file.position(start + LogFrames.FRAME_HEADER_BYTES);
            for (DurableRecord r : batch) {
                int before = file.position();
                RecordCodec.write(r, file);
                if (file.position() - before > RecordCodec.maxSize(r)) {
                    throw new AssertionError("maxSize is below what write wrote for " + r);
                }
            }
            LogFrames.seal(file, start);
        }
        return file.flip();
    }

    /** The scan of a file image written by {@link #write}. */
    public static LogFrames.Scan scan(ByteBuffer file) {
        return LogFrames.scan(file, LogFrames.FILE_HEADER_BYTES);
    }

    /** The records of every valid frame, frame by frame. */
    public static List<List<DurableRecord>> read(ByteBuffer file) {
        List<List<DurableRecord>> out = new ArrayList<>();
        for (LogFrames.Frame frame : scan(file).frames()) {
            List<DurableRecord> batch = new ArrayList<>();
            LogFrames.records(file, frame, batch::add);
            out.add(batch);
        }
        return out;
    }
}
