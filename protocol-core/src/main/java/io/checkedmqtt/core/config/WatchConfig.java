package io.checkedmqtt.core.config;

import java.util.List;
import java.util.Objects;

/**
 * Which clients the broker watches for a developer testing them, and how: the ones it traces
 * ({@code trace_clients}), the ones it keeps a conformance report for ({@code report_clients}),
 * and the probes it runs. Watching changes nothing the protocol does, except what a probe does
 * on purpose; a client nobody watches costs one check of {@link #isEmpty()} per decision.
 *
 * <p>A watched client gets, as {@code Effect.Noted}, the core's decisions that no packet shows,
 * the breaches of statements that bind it, and the verdicts of its probes.
 *
 * @param traced              client identifiers whose packets and decisions are traced
 * @param reported            further client identifiers with a conformance report only
 * @param probes              the probes turned on
 * @param resendWindowMillis  after a client resumes its session, how long it has to send again what
 *                            it had in flight (PUBLISH with DUP 1, PUBREL) before a missing resend
 *                            counts as a breach of [MQTT-4.4.0-1]
 */
public record WatchConfig(ClientPatterns traced, ClientPatterns reported, List<ProbeSpec> probes,
                          long resendWindowMillis) {

    public static final long DEFAULT_RESEND_WINDOW_MILLIS = 5_000;

    /** Nobody watched. */
    public static final WatchConfig NONE = new WatchConfig(ClientPatterns.NONE, ClientPatterns.NONE, List.of(),
            DEFAULT_RESEND_WINDOW_MILLIS);

    public WatchConfig {
        Objects.requireNonNull(traced, "traced");
        Objects.requireNonNull(reported, "reported");
        probes = List.copyOf(probes);
        if (resendWindowMillis < 1) {
            throw new IllegalArgumentException("the resend window must be at least 1 ms, was " + resendWindowMillis);
        }
    }

    /** Whether no client is watched at all: the core then does no watching work. */
    public boolean isEmpty() {
        return traced.isEmpty() && reported.isEmpty() && probes.isEmpty();
    }

    /** Whether the client is watched: traced, reported on, or probed. */
    public boolean watches(String clientId) {
        if (isEmpty()) {
            return false;
        }
        if (traced.matches(clientId) || reported.matches(clientId)) {
            return true;
        }
        for (ProbeSpec probe : probes) {
            if (probe.appliesTo(clientId)) {
                return true;
            }
        }
        return false;
    }

    /** The probe of this kind for the client, or null when none applies. */
    public ProbeSpec probe(ProbeKind kind, String clientId) {
        for (ProbeSpec probe : probes) {
            if (probe.kind() == kind && probe.appliesTo(clientId)) {
                return probe;
            }
        }
        return null;
    }

    public WatchConfig withTraced(ClientPatterns value) {
        return new WatchConfig(value, reported, probes, resendWindowMillis);
    }

    public WatchConfig withReported(ClientPatterns value) {
        return new WatchConfig(traced, value, probes, resendWindowMillis);
    }

    public WatchConfig withProbes(List<ProbeSpec> value) {
        return new WatchConfig(traced, reported, value, resendWindowMillis);
    }

    public WatchConfig withResendWindowMillis(long value) {
        return new WatchConfig(traced, reported, probes, value);
    }
}
