package io.checkedmqtt.broker;

/**
 * The budget of bytes queued towards sockets, all connections together
 * ({@code budget_outbound_bytes}); every {@link WriteQueue} counts its bytes here. A connection's
 * queue counts everything it will write, so a message queued for many connections counts once
 * for each, though a large payload is in memory once ({@link EffectRunner} shares it): the count
 * errs on the side of the heap. When the budget is reached:
 * <ul>
 *   <li>QoS 0 PUBLISHes to connections that still have bytes queued are dropped and counted
 *       (tried once, they may be lost); nothing more is queued once it is a quarter over;</li>
 *   <li>connections with bytes queued are not read until it falls again, so they cannot add
 *       replies to what is queued;</li>
 * </ul>
 * QoS 1 and 2 PUBLISHes are never dropped here: the core keeps them in flight and bounds them
 * (in-flight windows, its own budget of queued messages), and a dropped one would not be sent
 * again before the client reconnects.
 */
final class OutboundBudget {

    private final long limit;
    private final long hardLimit;
    private final BrokerStats stats;
    private long queued;

    OutboundBudget(long limit, BrokerStats stats) {
        this.limit = limit;
        this.hardLimit = InboundBudget.quarterOver(limit);
        this.stats = stats;
    }

    /** Whether the bytes queued for sockets, all together, have reached the budget. */
    boolean reached() {
        return queued >= limit;
    }

    /** Whether a QoS 0 PUBLISH may still be queued for a connection that has {@code connectionQueued} bytes waiting. */
    boolean admitsQos0(long connectionQueued) {
        return queued < limit || (connectionQueued == 0 && queued < hardLimit);
    }

    void add(long bytes) {
        queued += bytes;
        stats.outboundBytes = queued;
    }

    void remove(long bytes) {
        queued -= bytes;
        stats.outboundBytes = queued;
    }
}
