package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerState;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Folds the log into a snapshot on a thread of its own, while the loop goes on. The loop hands
 * over the state as it stood at the end of the segment it just closed; the state is an immutable
 * value, so the snapshot is consistent without a lock or a copy. Once the snapshot is durable,
 * the segments it holds and the older snapshots are deleted. One compaction at a time; a failed
 * one (a full disk) deletes nothing, is logged, and is tried again at the next segment.
 */
final class Compactor implements AutoCloseable {

    private final ExecutorService thread;
    private final LogDirectory directory;
    private final BrokerState initial;
    private final BrokerLog log;
    private Future<Long> running;
    /** The size of the last snapshot written, in bytes. */
    private long lastSnapshotBytes;

    Compactor(ThreadFactory threads, LogDirectory directory, BrokerState initial, BrokerLog log, long lastSnapshotBytes) {
        this.thread = Executors.newSingleThreadExecutor(threads);
        this.directory = directory;
        this.initial = initial;
        this.log = log;
        this.lastSnapshotBytes = lastSnapshotBytes;
    }

    /** Whether no compaction is running (a finished one is collected here, on the loop thread). */
    boolean idle() {
        if (running == null) {
            return true;
        }
        if (!running.isDone()) {
            return false;
        }
        try {
            lastSnapshotBytes = running.get();
        } catch (ExecutionException e) {
            log.error("persistence: compaction failed; the log segments stay until the next one succeeds",
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = null;
        return true;
    }

    long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    /** Starts writing snapshot {@code sequence} of {@code state}, which holds every segment up to {@code sequence}. */
    void start(BrokerState state, long sequence) {
        running = thread.submit(() -> compact(state, sequence));
    }

    private long compact(BrokerState state, long sequence) throws IOException {
        long started = System.nanoTime();
        long bytes = SnapshotWriter.write(directory, sequence, initial, state);
        directory.deleteCoveredBy(sequence);
        log.info("persistence: snapshot " + sequence + " written (" + bytes + " bytes, "
                + state.sessionCount() + " sessions) in " + (System.nanoTime() - started) / 1_000_000
                + " ms; the log before it is deleted");
        return bytes;
    }

    /** Waits for a running compaction to end, then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                log.info("persistence: a compaction still runs after a minute; it is left to the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        idle();
    }
}
