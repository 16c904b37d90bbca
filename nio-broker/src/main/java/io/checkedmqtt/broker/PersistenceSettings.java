package io.checkedmqtt.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Whether and where the broker keeps what a restart must bring back (nio-broker/README.md,
 * "Persistence").
 *
 * @param enabled      keep kept sessions, their messages and the retained messages across restarts
 * @param location     the directory of the log and snapshot files; created if missing; one broker at a time
 * @param fsync        when the log is forced to the disk ({@link FsyncPolicy})
 * @param compactBytes a log segment this large is folded into a snapshot in the background and
 *                     deleted, unless the last snapshot is larger (then that size is the mark): disk
 *                     use stays within about twice the live state plus this
 * @param salvage      start even when a file is damaged in its middle, with what can still be read
 *                     (the damage and what it cost are logged); off, such a file stops the start
 */
public record PersistenceSettings(boolean enabled, Path location, FsyncPolicy fsync, long compactBytes,
                                  boolean salvage) {

    public static final Path DEFAULT_LOCATION = Path.of("checked-mqtt-data");
    public static final long DEFAULT_COMPACT_BYTES = 64L << 20;
    public static final PersistenceSettings OFF = new PersistenceSettings(false, DEFAULT_LOCATION, FsyncPolicy.PASS,
            DEFAULT_COMPACT_BYTES, false);

    public PersistenceSettings {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(fsync, "fsync");
        if (compactBytes < 1) {
            throw new IllegalArgumentException("persistence_compact_bytes must be at least 1, was " + compactBytes);
        }
    }

    /** Persistence on, in {@code location}, with the defaults otherwise. */
    public static PersistenceSettings at(Path location) {
        return new PersistenceSettings(true, location, FsyncPolicy.PASS, DEFAULT_COMPACT_BYTES, false);
    }

    public PersistenceSettings withFsync(FsyncPolicy policy) {
        return new PersistenceSettings(enabled, location, policy, compactBytes, salvage);
    }

    public PersistenceSettings withCompactBytes(long bytes) {
        return new PersistenceSettings(enabled, location, fsync, bytes, salvage);
    }

    public PersistenceSettings withSalvage(boolean on) {
        return new PersistenceSettings(enabled, location, fsync, compactBytes, on);
    }

    public PersistenceSettings withEnabled(boolean on) {
        return new PersistenceSettings(on, location, fsync, compactBytes, salvage);
    }

    public PersistenceSettings withLocation(Path directory) {
        return new PersistenceSettings(enabled, directory, fsync, compactBytes, salvage);
    }
}
