package io.checkedmqtt.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The errors of a connection-only run ({@code conn}, {@code fleet}): how many, and the first ten as text. */
final class RunErrors {
    private static final int SAMPLES = 10;

    private final List<String> samples = new ArrayList<>();
    private long count;

    /** One error; {@code client} names who it concerns, null for the run as a whole. */
    void add(final Client client, final String what) {
        count++;
        if (samples.size() < SAMPLES) {
            samples.add((client == null ? "" : client.clientId + ": ") + what);
        }
    }

    long count() {
        return count;
    }

    /** The kept samples, one indented line each. */
    void print(final PrintStream out) {
        for (String sample : samples) {
            out.println("    " + sample);
        }
    }
}
