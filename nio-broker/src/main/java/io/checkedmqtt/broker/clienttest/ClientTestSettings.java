package io.checkedmqtt.broker.clienttest;

import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.config.ProbeSpec;
import io.checkedmqtt.core.config.WatchConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the broker does for developers testing their clients with it: which clients it traces and
 * where, which fault rules and probes it applies, which clients get a conformance report. Off
 * (nothing watched, no rule) unless set. README, "Testing clients".
 *
 * @param traceClients       globs of the client identifiers whose packets and decisions are traced
 * @param traceDirectory     where a traced client's {@code <client-id>.trace} file goes; null: no files,
 *                           only the in-memory trace
 * @param traceMaxBytes      a trace file that grows beyond this starts again, the old one kept as {@code .1}
 * @param traceLines         lines of each client's trace kept in memory (for the API)
 * @param reportClients      further globs of client identifiers with a conformance report (no trace)
 * @param faults             the fault rules, in order: the first that matches a packet acts on it
 * @param faultSeed          the seed of the random numbers of rules with a probability
 * @param probes             the probes turned on
 * @param resendWindowMillis after a watched client resumes its session, how long it has to resend
 */
public record ClientTestSettings(ClientPatterns traceClients, Path traceDirectory, long traceMaxBytes,
                                 int traceLines, ClientPatterns reportClients, List<FaultRule> faults, long faultSeed,
                                 List<ProbeSpec> probes, long resendWindowMillis) {

    public static final long DEFAULT_TRACE_MAX_BYTES = 16L << 20;
    public static final int DEFAULT_TRACE_LINES = 1_000;

    public static final ClientTestSettings NONE = new ClientTestSettings(ClientPatterns.NONE, null,
            DEFAULT_TRACE_MAX_BYTES, DEFAULT_TRACE_LINES, ClientPatterns.NONE, List.of(), 0, List.of(),
            WatchConfig.DEFAULT_RESEND_WINDOW_MILLIS);

    public ClientTestSettings {
        Objects.requireNonNull(traceClients, "traceClients");
        Objects.requireNonNull(reportClients, "reportClients");
        faults = List.copyOf(faults);
        probes = List.copyOf(probes);
        if (traceMaxBytes < 1024) {
            throw new IllegalArgumentException("trace_max_bytes must be at least 1024, was " + traceMaxBytes);
        }
        if (traceLines < 1) {
            throw new IllegalArgumentException("trace_lines must be at least 1, was " + traceLines);
        }
    }

    /**
     * What the core is told to watch: the traced, reported and probed clients; with
     * {@code --verbose}, every client, so that the log shows every decision too.
     */
    public WatchConfig watchConfig(boolean verbose) {
        return new WatchConfig(verbose ? ClientPatterns.ALL : traceClients, reportClients, probes,
                resendWindowMillis);
    }

    /** Whether any client is traced, has a fault rule or a probe (the shell then looks at each attached client). */
    public boolean isOn() {
        return !traceClients.isEmpty() || !reportClients.isEmpty() || !faults.isEmpty() || !probes.isEmpty();
    }

    public ClientTestSettings withTraceClients(ClientPatterns value) {
        return new ClientTestSettings(value, traceDirectory, traceMaxBytes, traceLines, reportClients, faults,
                faultSeed, probes, resendWindowMillis);
    }

    public ClientTestSettings withTraceDirectory(Path value) {
        return new ClientTestSettings(traceClients, value, traceMaxBytes, traceLines, reportClients, faults,
                faultSeed, probes, resendWindowMillis);
    }

    public ClientTestSettings withFaults(List<FaultRule> value) {
        return new ClientTestSettings(traceClients, traceDirectory, traceMaxBytes, traceLines, reportClients, value,
                faultSeed, probes, resendWindowMillis);
    }

    public ClientTestSettings withProbes(List<ProbeSpec> value) {
        return new ClientTestSettings(traceClients, traceDirectory, traceMaxBytes, traceLines, reportClients, faults,
                faultSeed, value, resendWindowMillis);
    }

    /** These settings with one more fault rule. */
    public ClientTestSettings withFault(FaultRule rule) {
        List<FaultRule> more = new ArrayList<>(faults);
        more.add(rule);
        return withFaults(more);
    }

    /** These settings with one more probe. */
    public ClientTestSettings withProbe(ProbeSpec probe) {
        List<ProbeSpec> more = new ArrayList<>(probes);
        more.add(probe);
        return withProbes(more);
    }

    /**
     * Reads a probe as written after {@code probe.NAME} in the config file, or as the value of
     * {@code --probe NAME PREFIX ...}: {@code PREFIX [timeout MS] [count N]}; the prefix {@code *}
     * stands for every client.
     */
    public static ProbeSpec parseProbe(ProbeKind kind, String text) {
        String[] words = text.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("probe." + kind.label() + " needs a client id prefix");
        }
        long timeout = ProbeSpec.DEFAULT_TIMEOUT_MILLIS;
        int count = 1;
        for (int i = 1; i < words.length; i += 2) {
            if (i + 1 >= words.length) {
                throw new IllegalArgumentException("'" + words[i] + "' needs a value");
            }
            long n;
            try {
                n = Long.parseLong(words[i + 1].replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(words[i] + " must be a whole number, was '" + words[i + 1] + "'");
            }
            switch (words[i].toLowerCase(Locale.ROOT)) {
                case "timeout" -> timeout = n;
                case "count" -> count = (int) Math.min(n, Integer.MAX_VALUE);
                default -> throw new IllegalArgumentException("unknown probe option '" + words[i]
                        + "' (timeout, count)");
            }
        }
        return new ProbeSpec(kind, words[0].equals("*") ? "" : words[0], timeout, count);
    }
}
