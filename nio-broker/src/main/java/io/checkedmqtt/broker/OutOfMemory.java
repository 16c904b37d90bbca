package io.checkedmqtt.broker;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What the broker does when the heap runs out: one line to standard error, then the process
 * halts with {@link #EXIT_CODE}. A broker that carried on after an {@link OutOfMemoryError} would
 * keep its port open while it could no longer answer (the next allocation fails too, inside the
 * very code that would close the sockets); a process that ends lets a supervisor start a fresh
 * one, and its port closes with it. The memory budgets exist so that this never happens; this is
 * the answer when they were set too high for the heap.
 *
 * <p>Nothing here allocates once the class is loaded: the line is encoded in advance, the stream
 * is opened in advance, and {@link Runtime#halt} runs no shutdown hooks (they would allocate, and
 * the graceful stop they start needs a working loop). {@link #prepare()} loads it at start-up,
 * since loading a class needs memory too.
 */
final class OutOfMemory {

    /** The status HotSpot's own {@code -XX:+ExitOnOutOfMemoryError} exits with. */
    static final int EXIT_CODE = 3;

    private static final byte[] LINE = ("checked-mqtt: out of memory (java.lang.OutOfMemoryError); halting with exit "
            + "code " + EXIT_CODE + " (see the memory budgets in nio-broker/README.md)" + System.lineSeparator())
            .getBytes(StandardCharsets.UTF_8);
    private static final FileOutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    private OutOfMemory() {
    }

    /** Loads this class, its line and its stream while memory is still there. */
    static void prepare() {
        // the static initialiser has run once this is called
    }

    /** Writes the line and halts the process; never returns. */
    static void halt() {
        try {
            STDERR.write(LINE);
        } catch (IOException ignored) {
            // standard error is gone: halting is all that is left to do
        }
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
