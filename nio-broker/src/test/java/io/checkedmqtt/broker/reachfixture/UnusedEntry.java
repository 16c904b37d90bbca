package io.checkedmqtt.broker.reachfixture;

import io.checkedmqtt.core.config.BrokerConfig;

/** Calls {@link UnusedHelper}, and is called by nothing: neither is reachable from the broker's entry points. */
public final class UnusedEntry {

    private UnusedEntry() {
    }

    public static int total() {
        UnusedHelper.Pair p = UnusedHelper.inflightAndQueue(BrokerConfig.defaults());
        return p.a() + p.b();
    }
}
