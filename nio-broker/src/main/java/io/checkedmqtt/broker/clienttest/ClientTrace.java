package io.checkedmqtt.broker.clienttest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The trace of one client identifier: its last lines in memory (for the API) and, with a trace
 * directory, all of them in {@code <safe-client-id>.trace}, which starts again as it passes
 * {@code maxBytes} (the full one is kept as {@code .trace.1}), so a trace holds at most twice that
 * on disk. Written on the loop thread and flushed once per loop pass; the lines in memory may be
 * read from any thread. A file that cannot be written is given up (the lines in memory go on).
 */
public final class ClientTrace {

    private final ArrayDeque<String> recent;
    private final int maxLines;
    private final Path file;
    private final long maxBytes;
    /** Told when this trace has lines for its file, so only those are flushed at the end of a loop pass. */
    private final java.util.function.Consumer<ClientTrace> dirtied;
    private Writer writer;
    private long written;
    private boolean dirty;
    private IOException failure;

    /** @param file the trace file, or null for none */
    ClientTrace(Path file, long maxBytes, int maxLines, java.util.function.Consumer<ClientTrace> dirtied) {
        this.dirtied = dirtied;
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxLines = maxLines;
        this.recent = new ArrayDeque<>(Math.min(maxLines, 64));
    }

    /** Appends a line (no line break in it). */
    public void add(String line) {
        synchronized (recent) {
            if (recent.size() == maxLines) {
                recent.removeFirst();
            }
            recent.addLast(line);
        }
        if (file != null && failure == null) {
            write(line);
        }
    }

    private void write(String line) {
        try {
            if (writer == null) {
                open(false);
            } else if (written + line.length() + 1 > maxBytes) {
                writer.close();
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
                open(false);
            }
            writer.write(line);
            writer.write('\n');
            written += line.length() + 1;
            if (!dirty) {
                dirty = true;
                dirtied.accept(this);
            }
        } catch (IOException e) {
            failure = e;
            closeQuietly();
        }
    }

    private void open(boolean append) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        written = 0;
    }

    /** Writes buffered lines to the file; true when there were any. */
    boolean flush() {
        if (!dirty || writer == null) {
            return false;
        }
        dirty = false;
        try {
            writer.flush();
        } catch (IOException e) {
            failure = e;
            closeQuietly();
        }
        return true;
    }

    /** The lines kept in memory, oldest first. */
    public List<String> lines() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public Path file() {
        return file;
    }

    /** Why the file was given up, or null. */
    public IOException failure() {
        return failure;
    }

    void close() {
        flush();
        closeQuietly();
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // given up either way
            }
            writer = null;
        }
    }
}
