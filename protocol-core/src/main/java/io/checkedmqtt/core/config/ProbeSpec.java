package io.checkedmqtt.core.config;

import java.util.Objects;

/**
 * One probe turned on for the clients whose identifier starts with {@code clientPrefix}.
 *
 * @param kind          what the probe does and checks
 * @param clientPrefix  the client identifiers it applies to start with this (empty: every client)
 * @param timeoutMillis how long the client has to do what the probe checks (a resend, a PUBREL, an
 *                      acknowledgement) before the verdict is a failure
 * @param count         how many times the probe acts on one client identifier while the broker runs
 */
public record ProbeSpec(ProbeKind kind, String clientPrefix, long timeoutMillis, int count) {

    public static final long DEFAULT_TIMEOUT_MILLIS = 5_000;

    public ProbeSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(clientPrefix, "clientPrefix");
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException("a probe's timeout must be at least 1 ms, was " + timeoutMillis);
        }
        if (count < 1) {
            throw new IllegalArgumentException("a probe's count must be at least 1, was " + count);
        }
    }

    public boolean appliesTo(String clientId) {
        return clientId.startsWith(clientPrefix);
    }

    @Override
    public String toString() {
        return "probe." + kind.label() + " " + clientPrefix + " timeout " + timeoutMillis + " count " + count;
    }
}
