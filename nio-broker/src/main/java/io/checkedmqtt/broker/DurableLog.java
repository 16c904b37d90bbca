package io.checkedmqtt.broker;

import io.checkedmqtt.core.durable.LogFrames;
import io.checkedmqtt.core.effect.DurableRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The log segment the broker appends to. The records of a loop pass collect in one frame
 * ({@link #append}); {@link #commit} writes that frame and, as the {@link FsyncPolicy} says,
 * forces it, all before the loop writes any packet of the pass. A frame is the unit a crash
 * keeps or loses whole, so a pass is durable all or nothing.
 *
 * <p>A failed write or force leaves the segment cut back to its last whole frame (as far as the
 * disk lets it be cut; recovery cuts a torn tail in any case) and the log unusable: the broker
 * stops, and what was in memory only is never acknowledged.
 */
final class DurableLog implements AutoCloseable {

    private final LogDirectory directory;
    private final FsyncPolicy fsync;
    private final FrameBuffer pass = new FrameBuffer(64 * 1024);
    private FileChannel channel;
    private long segment;
    /** Bytes in the segment: where the next frame goes. */
    private long size;
    private long lastForceMillis;
    /** Frames were written since the last force. */
    private boolean unforced;
    private boolean failed;

    private DurableLog(LogDirectory directory, FsyncPolicy fsync) {
        this.directory = directory;
        this.fsync = fsync;
    }

    /** A log that appends to a new segment {@code segment}. */
    static DurableLog create(LogDirectory directory, long segment, FsyncPolicy fsync, long nowMillis)
            throws IOException {
        DurableLog log = new DurableLog(directory, fsync);
        log.open(segment, nowMillis);
        return log;
    }

    private void open(long newSegment, long nowMillis) throws IOException {
        FileChannel created = directory.storage.open(directory.log(newSegment), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(LogFrames.FILE_HEADER_BYTES).putLong(LogFrames.LOG_FILE).flip();
            while (header.hasRemaining()) {
                created.write(header, header.position());   // the header's offset in the file is its offset in the buffer
            }
            created.force(true);
            directory.syncDirectory();
        } catch (IOException e) {
            Connections.closeQuietly(created);
            throw e;
        }
        channel = created;
        segment = newSegment;
        size = LogFrames.FILE_HEADER_BYTES;
        lastForceMillis = nowMillis;
        unforced = false;
    }

    long segment() {
        return segment;
    }

    /** Bytes in the current segment. */
    long size() {
        return size;
    }

    /** Adds records to this pass's frame. */
    void append(List<DurableRecord> records) {
        for (DurableRecord r : records) {
            pass.add(r);
        }
    }

    /** Whether records of this pass wait for {@link #commit}: until then no packet may be written. */
    boolean hasPending() {
        return !pass.isEmpty();
    }

    /**
     * Writes this pass's frame, then forces the segment if the policy says so now.
     *
     * @throws IOException the frame is not durable; the log is unusable from here on
     */
    void commit(long nowMillis) throws IOException {
        ByteBuffer frame = pass.frame();
        if (frame == null) {
            return;
        }
        if (failed) {
            throw new PersistenceException("the log failed before; nothing more is written to it");
        }
        long start = size;
        try {
            long at = start;
            while (frame.hasRemaining()) {
                at += channel.write(frame, at);
            }
            size = at;
            unforced = true;
            if (fsync.mode() == FsyncPolicy.Mode.PASS
                    || fsync.mode() == FsyncPolicy.Mode.INTERVAL && nowMillis - lastForceMillis >= fsync.intervalMillis()) {
                force(nowMillis);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            cutBackTo(start);
            throw e;
        } finally {
            pass.clear();
        }
    }

    /** With {@code fsync interval}: when the frames written and not yet forced must be; otherwise never. */
    long forceDeadline() {
        return unforced && fsync.mode() == FsyncPolicy.Mode.INTERVAL ? lastForceMillis + fsync.intervalMillis()
                : Long.MAX_VALUE;
    }

    /** Forces what was written, if anything. */
    void force(long nowMillis) throws IOException {
        if (unforced && !failed) {
            try {
                channel.force(false);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
            unforced = false;
        }
        lastForceMillis = nowMillis;
    }

    /** Whether a write or force failed: nothing more is written, the broker stops. */
    boolean failed() {
        return failed;
    }

    /**
     * Forces this segment, and continues in a new one, {@code newSegment}. When the new one cannot
     * be created (the directory is full or not writable), the log goes on in this one and the
     * exception says why; when the force fails, the log has {@link #failed}.
     */
    void roll(long newSegment, long nowMillis) throws IOException {
        force(nowMillis);
        FileChannel old = channel;
        open(newSegment, nowMillis);
        old.close();
    }

    private void cutBackTo(long length) {
        try {
            channel.truncate(length);
        } catch (IOException | RuntimeException ignored) {
            // recovery cuts the torn tail at the next start
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!failed) {
                force(lastForceMillis);
            }
        } finally {
            channel.close();
        }
    }
}
