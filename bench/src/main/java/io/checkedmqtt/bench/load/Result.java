package io.checkedmqtt.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one run as ordered key=value pairs. Printed as one {@code RESULT ...} line that
 * compare.sh collects and {@link Report} reads back, so the format is: no spaces inside values.
 */
final class Result {
    static final String PREFIX = "RESULT";

    private final Map<String, String> values = new LinkedHashMap<>();

    Result put(final String key, final String value) {
        values.put(key, value.replace(' ', '_'));
        return this;
    }

    Result put(final String key, final long value) {
        return put(key, Long.toString(value));
    }

    Result put(final String key, final double value) {
        return put(key, String.format(Locale.ROOT, "%.1f", value));
    }

    String get(final String key) {
        return values.get(key);
    }

    Map<String, String> values() {
        return values;
    }

    String toLine() {
        final StringBuilder line = new StringBuilder(PREFIX);
        values.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }

    /** Reads a line written by {@link #toLine()}; text before the prefix is ignored. */
    static Result parse(final String line) {
        final int at = line.indexOf(PREFIX + " ");
        if (at < 0) {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        final Result result = new Result();
        for (String pair : line.substring(at + PREFIX.length()).trim().split("\\s+")) {
            final int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad pair '" + pair + "' in: " + line);
            }
            result.values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return result;
    }
}
