package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.DurableRecord;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * Persistence as the loop sees it. {@link #open} locks the directory, recovers the state
 * ({@link LogRecovery}), writes a snapshot of it (a session whose client was connected at the stop
 * now counts as disconnected at this start, which the snapshot fixes) and starts a new log
 * segment; only then does the broker open its listeners. While it runs, the {@code Persist}
 * effects of each pass are {@link #append}ed, {@link #commit}ted before the pass writes any
 * packet, and once a segment has grown past its mark the loop rolls to a new one and hands the
 * state to the {@link Compactor} ({@link #afterPass}).
 */
final class Persistence implements AutoCloseable {

    private final PersistenceSettings settings;
    private final LogDirectory directory;
    private final FileChannel lock;
    private final BrokerState recovered;
    private final DurableLog log;
    private final Compactor compactor;
    private final BrokerLog brokerLog;
    /** A segment that could not be rolled is rolled again once it has grown this large. */
    private long retryRollAt;

    private Persistence(PersistenceSettings settings, LogDirectory directory, FileChannel lock, BrokerState recovered,
                        DurableLog log, Compactor compactor, BrokerLog brokerLog) {
        this.settings = settings;
        this.brokerLog = brokerLog;
        this.directory = directory;
        this.lock = lock;
        this.recovered = recovered;
        this.log = log;
        this.compactor = compactor;
    }

    /**
     * Recovers what {@code settings.location()} holds and gets ready to append.
     *
     * @throws PersistenceException the directory cannot be used, or a file is damaged (unless salvaging)
     */
    static Persistence open(PersistenceSettings settings, Storage storage, BrokerCore core, long nowMillis,
                            BrokerLog brokerLog, ThreadFactory threads) throws IOException {
        LogDirectory directory = new LogDirectory(settings.location(), storage);
        FileChannel lock = directory.lock();
        try {
            long started = System.nanoTime();
            LogRecovery.Recovered result = new LogRecovery(directory, settings.salvage(), brokerLog)
                    .recover(core, nowMillis);
            BrokerState state = result.replay().state();
            long snapshot = result.newest() + 1;
            long snapshotBytes = 0;
            if (result.replayed()) {
                snapshotBytes = SnapshotWriter.write(directory, snapshot, core.initialState(), state);
            }
            directory.deleteCoveredBy(snapshot);   // with nothing replayed: empty segments of earlier runs
            DurableLog log = DurableLog.create(directory, snapshot + 1, settings.fsync(), nowMillis);
            brokerLog.info("persistence: " + settings.location() + ": " + state.sessionCount() + " sessions and "
                    + state.retainedCount() + " retained messages from " + result.replay().applied()
                    + " records in " + (System.nanoTime() - started) / 1_000_000 + " ms; fsync " + settings.fsync());
            return new Persistence(settings, directory, lock, state, log,
                    new Compactor(threads, directory, core.initialState(), brokerLog, snapshotBytes), brokerLog);
        } catch (IOException | RuntimeException e) {
            Connections.closeQuietly(lock);
            if (e instanceof PersistenceException || e instanceof RuntimeException) {
                throw e;
            }
            throw new PersistenceException("cannot use " + settings.location() + ": " + LogDirectory.describe(
                    (IOException) e), e);
        }
    }

    /** The state the broker starts with. */
    BrokerState recovered() {
        return recovered;
    }

    void append(List<DurableRecord> records) {
        log.append(records);
    }

    /** Whether records of this pass are not durable yet: no packet may be written until {@link #commit}. */
    boolean hasPending() {
        return log.hasPending();
    }

    /** Makes this pass's records durable, as the fsync policy says. */
    void commit(long nowMillis) throws IOException {
        log.commit(nowMillis);
    }

    /** When written records must be forced ({@code fsync interval}); {@code Long.MAX_VALUE}: never. */
    long forceDeadline() {
        return log.forceDeadline();
    }

    void force(long nowMillis) throws IOException {
        log.force(nowMillis);
    }

    /**
     * After a pass is committed: when the segment has grown past its mark (the setting, or the
     * last snapshot's size if that is larger: compacting more often would rewrite the state faster
     * than the log grows) and no compaction runs, continue in a new segment and compact the state
     * as it is now, which is the state after every record of the segments up to the closed one.
     */
    void afterPass(Supplier<BrokerState> state, long nowMillis) throws IOException {
        long mark = Math.max(Math.max(settings.compactBytes(), compactor.lastSnapshotBytes()), retryRollAt);
        if (log.size() < mark || !compactor.idle()) {
            return;
        }
        long closed = log.segment();
        try {
            log.roll(closed + 1, nowMillis);
        } catch (IOException e) {
            if (log.failed()) {
                throw e;
            }
            retryRollAt = log.size() + settings.compactBytes();
            brokerLog.error("persistence: cannot start a new log segment in " + settings.location()
                    + "; the log goes on in the current one, and compaction waits until one can be started", e);
            return;
        }
        retryRollAt = 0;
        compactor.start(state.get(), closed);
    }

    /** Forces and closes the log, waits for a running compaction, and unlocks the directory. */
    @Override
    public void close() throws IOException {
        try {
            log.close();
        } finally {
            compactor.close();
            lock.close();
        }
    }

    @Override
    public String toString() {
        return "persistence in " + directory.path;
    }
}
