package io.checkedmqtt.broker;

import io.checkedmqtt.core.durable.LogFrames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The persistence directory: its files and their names. Log segments {@code log-N.cmq} hold the
 * records appended pass by pass; a snapshot {@code snapshot-N.cmq} holds a whole state, the one
 * after every segment up to N. So a restart reads the newest snapshot and the segments after it.
 * A snapshot is written as {@code snapshot-N.tmp} and renamed only once it is complete and forced;
 * a {@code .tmp} file found at start is what a crash interrupted, and is deleted. A {@code lock}
 * file, locked while the broker runs, keeps a second broker out.
 */
final class LogDirectory {

    private static final String LOG = "log-";
    private static final String SNAPSHOT = "snapshot-";
    private static final String SUFFIX = ".cmq";
    private static final String TEMPORARY = ".tmp";

    final Path path;
    final Storage storage;

    /** The sequence numbers of the files present, ascending. */
    record Listing(List<Long> logs, List<Long> snapshots) {

        long newestSnapshot() {
            return snapshots.isEmpty() ? -1 : snapshots.get(snapshots.size() - 1);
        }

        long newest() {
            long newest = newestSnapshot();
            return logs.isEmpty() ? newest : Math.max(newest, logs.get(logs.size() - 1));
        }
    }

    LogDirectory(Path path, Storage storage) {
        this.path = path;
        this.storage = storage;
    }

    Path log(long sequence) {
        return path.resolve(LOG + String.format("%016d", sequence) + SUFFIX);
    }

    Path snapshot(long sequence) {
        return path.resolve(SNAPSHOT + String.format("%016d", sequence) + SUFFIX);
    }

    Path temporarySnapshot(long sequence) {
        return path.resolve(SNAPSHOT + String.format("%016d", sequence) + TEMPORARY);
    }

    /** Creates the directory if needed and locks it; the lock holds until the returned channel closes. */
    FileChannel lock() throws PersistenceException {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new PersistenceException("cannot create the directory " + path + ": " + describe(e), e);
        }
        FileChannel channel;
        try {
            channel = storage.open(path.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new PersistenceException("cannot write in " + path + ": " + describe(e), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new PersistenceException(path + " is in use by another broker");
            }
        } catch (OverlappingFileLockException e) {
            Connections.closeQuietly(channel);
            throw new PersistenceException(path + " is in use by another broker in this process");
        } catch (IOException e) {
            Connections.closeQuietly(channel);
            throw e instanceof PersistenceException p ? p
                    : new PersistenceException("cannot lock " + path + ": " + describe(e), e);
        }
        return channel;
    }

    /** The segments and snapshots present; left-over temporary snapshots are deleted. */
    Listing list() throws IOException {
        List<Long> logs = new ArrayList<>();
        List<Long> snapshots = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMPORARY)) {
                    Files.deleteIfExists(file);
                } else if (name.startsWith(LOG) && name.endsWith(SUFFIX)) {
                    logs.add(sequenceOf(name, LOG));
                } else if (name.startsWith(SNAPSHOT) && name.endsWith(SUFFIX)) {
                    snapshots.add(sequenceOf(name, SNAPSHOT));
                }
            }
        }
        Collections.sort(logs);
        Collections.sort(snapshots);
        return new Listing(logs, snapshots);
    }

    private static long sequenceOf(String name, String prefix) throws PersistenceException {
        try {
            return Long.parseLong(name.substring(prefix.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            throw new PersistenceException("a file the broker did not write is in its directory: " + name);
        }
    }

    /** The whole file, read into memory. */
    ByteBuffer read(Path file) throws IOException {
        try (FileChannel channel = storage.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new PersistenceException(file + " is larger than 2 GB, more than this broker reads");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading
            }
            return buffer.flip();
        }
    }

    /** Whether {@code file} starts with the header of the given kind. */
    static boolean hasHeader(ByteBuffer file, long kind) {
        return file.limit() >= LogFrames.FILE_HEADER_BYTES && file.getLong(0) == kind;
    }

    /** Makes the directory's entries (a new file, a rename) durable. */
    void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(path, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (AccessDeniedException | UnsupportedOperationException e) {
            // a platform that cannot open a directory (Windows): its renames are durable on their own
        }
    }

    /** Deletes the segments up to {@code sequence} and the snapshots before it: the snapshot {@code sequence} holds them. */
    void deleteCoveredBy(long sequence) throws IOException {
        Listing listing = list();
        for (long log : listing.logs()) {
            if (log <= sequence) {
                Files.deleteIfExists(log(log));
            }
        }
        for (long snapshot : listing.snapshots()) {
            if (snapshot < sequence) {
                Files.deleteIfExists(snapshot(snapshot));
            }
        }
    }

    /** An I/O failure in words: the exception's kind and message ("NoSuchFileException: /x/y"). */
    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
