package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.DurableChanges;
import io.checkedmqtt.core.durable.LogFrames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a snapshot: the records that build a state from nothing ({@link DurableChanges} from the
 * initial state), in frames of about a megabyte, to {@code snapshot-N.tmp}; forces it; renames it
 * to {@code snapshot-N.cmq}; forces the directory. A crash at any point leaves either no snapshot
 * N (the segments it was to replace are still there) or a whole one.
 *
 * <p>The state is an immutable value, so any thread may write it while the loop goes on.
 */
final class SnapshotWriter {

    private static final int FRAME_BYTES = 1 << 20;

    private SnapshotWriter() {
    }

    /** Writes snapshot {@code sequence} of {@code state}; returns its size in bytes. */
    static long write(LogDirectory directory, long sequence, BrokerState initial, BrokerState state)
            throws IOException {
        FrameBuffer frame = new FrameBuffer(FRAME_BYTES + FRAME_BYTES / 4);
        long[] size = {0};
        try (FileChannel file = directory.storage.open(directory.temporarySnapshot(sequence),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            size[0] = writeFully(file, ByteBuffer.allocate(LogFrames.FILE_HEADER_BYTES)
                    .putLong(LogFrames.SNAPSHOT_FILE).flip(), 0);
            IOException[] failure = {null};
            DurableChanges.between(initial, state, record -> {
                if (failure[0] != null) {
                    return;
                }
                frame.add(record);
                if (frame.size() >= FRAME_BYTES) {
                    try {
                        size[0] = flush(file, frame, size[0]);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            size[0] = flush(file, frame, size[0]);
            file.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(directory.temporarySnapshot(sequence));
            throw e;
        }
        Files.move(directory.temporarySnapshot(sequence), directory.snapshot(sequence),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        directory.syncDirectory();
        return size[0];
    }

    private static long flush(FileChannel file, FrameBuffer frame, long at) throws IOException {
        ByteBuffer bytes = frame.frame();
        if (bytes == null) {
            return at;
        }
        long end = writeFully(file, bytes, at);
        frame.clear();
        return end;
    }

    private static long writeFully(FileChannel file, ByteBuffer bytes, long at) throws IOException {
        long position = at;
        while (bytes.hasRemaining()) {
            position += file.write(bytes, position);
        }
        return position;
    }
}
