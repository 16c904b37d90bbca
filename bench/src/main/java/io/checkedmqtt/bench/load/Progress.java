package io.checkedmqtt.bench.load;

import java.io.PrintStream;
import java.util.Locale;

/** Prints one progress line a second to stderr, so long runs show they are alive. */
final class Progress {
    private static final long SECOND = 1_000_000_000L;

    private final PrintStream err;
    private final boolean quiet;
    private final long startNanos;
    private long nextNanos;
    private long lastCount;

    Progress(final PrintStream err, final boolean quiet, final long startNanos) {
        this.err = err;
        this.quiet = quiet;
        this.startNanos = startNanos;
        this.nextNanos = startNanos + SECOND;
    }

    long nextNanos() {
        return nextNanos;
    }

    /** Prints when a second has passed; {@code count} is the run's main counter. */
    void maybePrint(final long nowNanos, final String what, final long count, final String extra) {
        if (nowNanos < nextNanos) {
            return;
        }
        final double elapsed = (nowNanos - startNanos) / 1e9;
        final double perSecond = (count - lastCount) / ((nowNanos - nextNanos + SECOND) / 1e9);
        lastCount = count;
        nextNanos = nowNanos + SECOND;
        if (!quiet) {
            err.printf(Locale.ROOT, "[%6.1fs] %s %d (%.0f/s) %s%n", elapsed, what, count, perSecond, extra);
        }
    }
}
