package io.checkedmqtt.broker.reachfixture;

import io.checkedmqtt.core.config.BrokerConfig;

/**
 * Production-looking code that nothing from the broker's entry points uses: it depends on the
 * core, and only {@link UnusedEntry} (itself unused) depends on it. {@code ReachabilityTest}'s
 * guard shows the check reports both, nested class included.
 */
public final class UnusedHelper {

    private UnusedHelper() {
    }

    /** A nested class: it counts with its owner. */
    public record Pair(int a, int b) {
    }

    public static Pair inflightAndQueue(BrokerConfig config) {
        return new Pair(config.maxInflightMessages(), config.maxQueuedMessages());
    }
}
