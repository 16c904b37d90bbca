package io.checkedmqtt.broker;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per event, to standard error by default: a timestamp, then what happened. Connection
 * and disconnect lines are on unless turned off; packet lines only with {@code --verbose}. The
 * loop thread is the only writer, so lines never interleave.
 */
final class BrokerLog {

    private final PrintStream out;
    private final boolean connections;
    private final boolean verbose;

    BrokerLog(PrintStream out, boolean connections, boolean verbose) {
        this.out = out;
        this.connections = connections;
        this.verbose = verbose;
    }

    boolean verbose() {
        return verbose;
    }

    /**
     * Whether connection lines are written. Callers test it before building a line: with
     * {@code --quiet}, describing every accepted and closed socket (its address as text, string
     * concatenation) would otherwise cost as much CPU as accepting it.
     */
    boolean connections() {
        return connections;
    }

    void info(String message) {
        out.println(Instant.now() + " " + message);
    }

    void connection(String message) {
        if (connections) {
            info(message);
        }
    }

    /**
     * A line of a client's trace ({@code --verbose}): written as it is, since it starts with its
     * own time (the loop's clock).
     */
    void trace(String line) {
        if (verbose) {
            out.println(line);
        }
    }

    void error(String message, Throwable cause) {
        info("ERROR " + message + ": " + cause);
        if (verbose) {
            cause.printStackTrace(out);
        }
    }
}
