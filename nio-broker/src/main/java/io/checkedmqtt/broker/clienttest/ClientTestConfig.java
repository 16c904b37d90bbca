package io.checkedmqtt.broker.clienttest;

import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.config.ProbeKind;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The config file's and command line's settings for testing clients, read one at a time on top
 * of what came before: {@code trace_clients}, {@code report_clients}, {@code fault} and
 * {@code probe.NAME} add (they may repeat); the others replace. Not thread-safe; lives for one
 * parse.
 */
public final class ClientTestConfig {

    /** The keys read here, each with its meaning (the README's table). */
    public static final List<String[]> KEYS = List.of(
            new String[] {"trace_clients", "GLOB: trace the packets and decisions of matching client ids (repeatable)"},
            new String[] {"trace_directory", "DIR: write each traced client's trace to DIR/<client-id>.trace"},
            new String[] {"trace_max_bytes", "a trace file that grows past this starts again (the old one kept as .1)"},
            new String[] {"trace_lines", "lines of each traced client kept in memory (for the API)"},
            new String[] {"report_clients", "GLOB: keep a conformance report for matching client ids (repeatable)"},
            new String[] {"fault", "ACTION TYPE in|out GLOB [count N] [delay MS] [probability P] (repeatable)"},
            new String[] {"fault_seed", "seed of the random numbers of fault rules with a probability"},
            new String[] {"resend_window_ms", "how long a watched client has to resend after its session resumes"},
            new String[] {"probe.qos1-retry", "PREFIX [timeout MS] [count N]: withhold a PUBACK, expect the resend"},
            new String[] {"probe.qos2-cut", "PREFIX [timeout MS] [count N]: cut after PUBREC, expect PUBREL"},
            new String[] {"probe.qos2-receive-cut", "PREFIX [timeout MS] [count N]: cut after the client's PUBREC, expect PUBCOMP for the PUBREL sent again"},
            new String[] {"probe.offline-queue", "PREFIX [timeout MS] [count N]: cut after SUBACK, queue one message, expect its acknowledgement"});

    private ClientTestSettings settings;

    public ClientTestConfig(ClientTestSettings start) {
        this.settings = start;
    }

    /** Whether {@code key} is one of these settings. */
    public static boolean handles(String key) {
        for (String[] k : KEYS) {
            if (k[0].equals(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies one setting.
     *
     * @throws IllegalArgumentException with a message that says what is wrong with the value
     */
    public void apply(String key, String value) {
        ClientTestSettings s = settings;
        switch (key) {
            case "trace_clients" -> settings = s.withTraceClients(s.traceClients().with(value));
            case "trace_directory" -> settings = s.withTraceDirectory(Path.of(value));
            case "trace_max_bytes" -> settings = new ClientTestSettings(s.traceClients(), s.traceDirectory(),
                    number(key, value), s.traceLines(), s.reportClients(), s.faults(), s.faultSeed(), s.probes(),
                    s.resendWindowMillis());
            case "trace_lines" -> settings = new ClientTestSettings(s.traceClients(), s.traceDirectory(),
                    s.traceMaxBytes(), (int) Math.min(number(key, value), 1_000_000), s.reportClients(), s.faults(),
                    s.faultSeed(), s.probes(), s.resendWindowMillis());
            case "report_clients" -> settings = new ClientTestSettings(s.traceClients(), s.traceDirectory(),
                    s.traceMaxBytes(), s.traceLines(), s.reportClients().with(value), s.faults(), s.faultSeed(),
                    s.probes(), s.resendWindowMillis());
            case "fault" -> settings = s.withFault(FaultRule.parse(value));
            case "fault_seed" -> settings = new ClientTestSettings(s.traceClients(), s.traceDirectory(),
                    s.traceMaxBytes(), s.traceLines(), s.reportClients(), s.faults(), number(key, value), s.probes(),
                    s.resendWindowMillis());
            case "resend_window_ms" -> settings = new ClientTestSettings(s.traceClients(), s.traceDirectory(),
                    s.traceMaxBytes(), s.traceLines(), s.reportClients(), s.faults(), s.faultSeed(), s.probes(),
                    Math.max(1, number(key, value)));
            default -> {
                ProbeKind kind = key.startsWith("probe.") ? ProbeKind.named(key) : null;
                if (kind == null) {
                    throw new IllegalArgumentException("unknown setting '" + key + "'");
                }
                settings = s.withProbe(ClientTestSettings.parseProbe(kind, value));
            }
        }
    }

    /** {@code --probe 'NAME PREFIX [timeout MS] [count N]'}: the probe's name first. */
    public void applyProbe(String text) {
        String[] words = text.strip().split("\\s+", 2);
        ProbeKind kind = ProbeKind.named(words[0]);
        if (kind == null) {
            throw new IllegalArgumentException("unknown probe '" + words[0] + "' ("
                    + java.util.Arrays.stream(ProbeKind.values()).map(ProbeKind::label)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        settings = settings.withProbe(ClientTestSettings.parseProbe(kind, words.length > 1 ? words[1] : ""));
    }

    public ClientTestSettings settings() {
        return settings;
    }

    private static long number(String key, String value) {
        try {
            long n = Long.parseLong(value.replace("_", ""));
            if (n < 0) {
                throw new IllegalArgumentException(key + " must not be negative, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value.toLowerCase(Locale.ROOT)
                    + "'");
        }
    }
}
