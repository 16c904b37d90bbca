package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.durable.LogFrames;
import io.checkedmqtt.core.durable.RecordFormatException;
import io.checkedmqtt.core.durable.Replay;
import io.checkedmqtt.core.effect.DurableRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the persistence directory back at start: the newest snapshot, then every log segment
 * after it, frame by frame through the core's pure {@link Replay}. What the files hold decides:
 * <ul>
 *   <li>bytes after the last whole frame of the last segment are a torn tail, the write a stop
 *       interrupted (no packet of that pass was sent): they are cut off, with a log line;</li>
 *   <li>damage anywhere else (a bad frame with valid ones after it, a damaged snapshot or older
 *       segment, a frame whose records this broker cannot read) means bytes that were once
 *       written whole are gone: the broker refuses to start, naming the file and offset, unless
 *       told to salvage; then it skips the damage, logs what it skipped, and starts with the rest.</li>
 * </ul>
 */
final class LogRecovery {

    /**
     * @param replay   the state recovered, with how many records were applied and skipped
     * @param newest   the highest sequence number of any file, or -1 when there was none
     * @param replayed whether any record was read
     */
    record Recovered(Replay replay, long newest, boolean replayed) {
    }

    private final LogDirectory directory;
    private final boolean salvage;
    private final BrokerLog log;

    LogRecovery(LogDirectory directory, boolean salvage, BrokerLog log) {
        this.directory = directory;
        this.salvage = salvage;
        this.log = log;
    }

    Recovered recover(BrokerCore core, long nowMillis) throws IOException {
        LogDirectory.Listing listing = directory.list();
        Replay replay = Replay.from(core.initialState(), nowMillis);
        long snapshot = listing.newestSnapshot();
        if (snapshot >= 0) {
            replay = read(directory.snapshot(snapshot), LogFrames.SNAPSHOT_FILE, false, replay);
        }
        List<Long> segments = new ArrayList<>();
        for (long segment : listing.logs()) {
            if (segment > snapshot) {
                segments.add(segment);
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            replay = read(directory.log(segments.get(i)), LogFrames.LOG_FILE, i == segments.size() - 1, replay);
        }
        if (replay.ignored() > 0) {
            log.info("persistence: " + replay.ignored() + " records refer to sessions or messages that are not"
                    + " there" + (salvage ? " (lost with the damage salvage skipped)" : "") + "; they were skipped");
        }
        return new Recovered(replay, listing.newest(), replay.applied() + replay.ignored() > 0);
    }

    private Replay read(Path file, long kind, boolean lastSegment, Replay start) throws IOException {
        ByteBuffer bytes = directory.read(file);
        if (!LogDirectory.hasHeader(bytes, kind)) {
            if (lastSegment && bytes.limit() < LogFrames.FILE_HEADER_BYTES) {
                log.info("persistence: " + file + ": removed; a stop interrupted its creation (" + bytes.limit()
                        + " bytes)");
                Files.delete(file);
                return start;
            }
            damaged(file, "it does not start with the header of a "
                    + (kind == LogFrames.LOG_FILE ? "log segment" : "snapshot") + "; the whole file is skipped");
            return start;
        }
        LogFrames.Scan scan = LogFrames.scan(bytes, LogFrames.FILE_HEADER_BYTES);
        for (LogFrames.Damage d : scan.damage()) {
            damaged(file, "bytes " + d.offset() + " to " + (d.offset() + d.length())
                    + " hold no valid frame, and valid frames follow them");
        }
        if (scan.tail() > 0) {
            if (lastSegment) {
                log.info("persistence: " + file + ": cut " + scan.tail() + " bytes after the last whole frame, at "
                        + scan.end() + " (a write the stop interrupted; nothing of it was acknowledged)");
                cut(file, scan.end());
            } else {
                damaged(file, "its last " + scan.tail() + " bytes, from " + scan.end()
                        + ", hold no valid frame, and it is not the newest file");
            }
        }
        Replay replay = start;
        List<DurableRecord> records = new ArrayList<>();
        for (LogFrames.Frame frame : scan.frames()) {
            records.clear();
            try {
                LogFrames.records(bytes, frame, records::add);
            } catch (RecordFormatException e) {
                damaged(file, "the frame at " + (frame.payloadOffset() - LogFrames.FRAME_HEADER_BYTES)
                        + " has a valid checksum but holds no records this broker reads (" + e.getMessage() + ")");
                continue;
            }
            replay = replay.applyAll(records);
        }
        return replay;
    }

    /** Damage that a crash alone cannot cause: refuse to start, or with salvage, log it and go on. */
    private void damaged(Path file, String what) throws PersistenceException {
        if (!salvage) {
            throw new PersistenceException(file + " is damaged: " + what + ". The broker does not start on a damaged"
                    + " log, so that nothing it holds is lost without a word: start it with --salvage"
                    + " (persistence_salvage true) to recover what can still be read, or move the directory aside"
                    + " to start empty");
        }
        log.info("persistence: salvage: " + file + " is damaged: " + what + "; what it held there is lost");
    }

    private void cut(Path file, long length) throws IOException {
        try (FileChannel channel = directory.storage.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        }
    }
}
