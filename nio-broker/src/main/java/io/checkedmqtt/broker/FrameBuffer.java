package io.checkedmqtt.broker;

import io.checkedmqtt.core.durable.LogFrames;
import io.checkedmqtt.core.durable.RecordCodec;
import io.checkedmqtt.core.effect.DurableRecord;

import java.nio.ByteBuffer;

/**
 * Records encoded into one frame ({@link LogFrames}) in a buffer that grows as needed: the log
 * collects the records of a loop pass in one, the snapshot writer a megabyte at a time. The
 * header is filled in by {@link #frame}; after the frame is written, {@link #clear} makes the
 * buffer ready for the next one (and gives back memory a huge pass took).
 */
final class FrameBuffer {

    private final int initialCapacity;
    private ByteBuffer buffer;
    /** Where the open frame starts; -1 when none is open. */
    private int frameStart = -1;

    FrameBuffer(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.buffer = ByteBuffer.allocate(initialCapacity);
    }

    boolean isEmpty() {
        return frameStart < 0;
    }

    /** Bytes of the open frame so far. */
    int size() {
        return frameStart < 0 ? 0 : buffer.position() - frameStart;
    }

    void add(DurableRecord record) {
        if (frameStart < 0) {
            ensure(LogFrames.FRAME_HEADER_BYTES);
            frameStart = buffer.position();
            buffer.position(frameStart + LogFrames.FRAME_HEADER_BYTES);
        }
        ensure(RecordCodec.maxSize(record));
        RecordCodec.write(record, buffer);
    }

    /** The whole frame, header filled in, ready to be written; null when no record was added. */
    ByteBuffer frame() {
        if (frameStart < 0) {
            return null;
        }
        LogFrames.seal(buffer, frameStart);
        return buffer.duplicate().flip().position(frameStart);
    }

    void clear() {
        frameStart = -1;
        if (buffer.capacity() > 16 * initialCapacity) {
            buffer = ByteBuffer.allocate(initialCapacity);
        } else {
            buffer.clear();
        }
    }

    private void ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            long wanted = Math.max(2L * buffer.capacity(), (long) buffer.position() + bytes);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a frame of more than 2 GB");
            }
            ByteBuffer bigger = ByteBuffer.allocate((int) wanted);
            bigger.put(buffer.flip());
            buffer = bigger;
        }
    }
}
