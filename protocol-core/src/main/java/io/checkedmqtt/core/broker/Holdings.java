package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.session.Session;

/**
 * What the sessions hold, all together, as the {@link io.checkedmqtt.core.config.MemoryBudget}
 * counts it; kept in the {@link BrokerState} and moved by every change of a session
 * ({@link #change}), so checking a budget costs nothing. {@link #of} counts the same from scratch.
 *
 * @param keptSessions     sessions that outlive their connection (Session Expiry above 0)
 * @param sessionBytes     client identifiers and wills of every session
 * @param queuedMessages   messages held for sessions, queued or in flight, each session's copy counted
 * @param queuedBytes      their weight ({@link io.checkedmqtt.core.packet.Publish#weight})
 * @param holders          sessions that hold at least one such message
 * @param subscriptionBytes the {@linkplain #subscriptionWeight weight} of every session's subscriptions
 * @param droppedForBudget messages a budget kept from a session, or from the store of retained messages
 */
public record Holdings(long keptSessions, long sessionBytes, long queuedMessages, long queuedBytes, long holders,
                       long subscriptionBytes, long droppedForBudget) {

    public static final Holdings NONE = new Holdings(0, 0, 0, 0, 0, 0, 0);

    /** A subscription counts its filter's length, 96 bytes per level (a trie node and its key), 128 for the entry. */
    private static final int PER_LEVEL = 96;
    private static final int PER_SUBSCRIPTION = 128;

    /** The holdings after one session changed from {@code before} to {@code after} (either may be null). */
    Holdings change(Session before, Session after) {
        if (before == after) {
            return this;
        }
        long kept = kept(after) - kept(before);
        long session = sessionBytes(after) - sessionBytes(before);
        long messages = messages(after) - messages(before);
        long bytes = messageBytes(after) - messageBytes(before);
        long holding = (messages(after) > 0 ? 1 : 0) - (messages(before) > 0 ? 1 : 0);
        long subscribed = subscriptionsChanged(before, after) ? subscriptionBytes(after) - subscriptionBytes(before) : 0;
        if (kept == 0 && session == 0 && messages == 0 && bytes == 0 && holding == 0 && subscribed == 0) {
            return this;
        }
        return new Holdings(keptSessions + kept, sessionBytes + session, queuedMessages + messages,
                queuedBytes + bytes, holders + holding, subscriptionBytes + subscribed, droppedForBudget);
    }

    /**
     * What one subscription to {@code filter} counts against the budget: an estimate of what the
     * session's table and the router hold for it, which grows with its levels (a node each) as
     * much as with its bytes, so that 65,536 empty levels in 65,535 bytes are not cheap.
     */
    public static long subscriptionWeight(String filter) {
        long levels = 1;
        for (int i = 0; i < filter.length(); i++) {
            levels += filter.charAt(i) == '/' ? 1 : 0;
        }
        return filter.length() + PER_LEVEL * levels + PER_SUBSCRIPTION;
    }

    /** Most changes of a session leave its table of subscriptions as it was, the same object. */
    private static boolean subscriptionsChanged(Session before, Session after) {
        return before == null || after == null || before.subscriptions() != after.subscriptions();
    }

    private static long subscriptionBytes(Session s) {
        if (s == null) {
            return 0;
        }
        long total = 0;
        for (String filter : s.subscriptions().keySet()) {
            total += subscriptionWeight(filter);
        }
        return total;
    }

    /** One more message not delivered because of the budget. */
    Holdings dropped() {
        return new Holdings(keptSessions, sessionBytes, queuedMessages, queuedBytes, holders, subscriptionBytes,
                droppedForBudget + 1);
    }

    /** The holdings of these sessions, counted from scratch (nothing dropped). */
    public static Holdings of(Iterable<Session> sessions) {
        Holdings total = NONE;
        for (Session s : sessions) {
            total = total.change(null, s);
        }
        return total;
    }

    /** What a session's client identifier and will count against {@code maxSessionBytes}. */
    static long sessionBytes(Session s) {
        return s == null ? 0 : s.clientId().length() + (s.will() == null ? 0 : s.will().weight());
    }

    private static long kept(Session s) {
        return s == null || s.endsWithConnection() ? 0 : 1;
    }

    private static long messages(Session s) {
        return s == null ? 0 : s.queue().size() + s.inflight().size();
    }

    private static long messageBytes(Session s) {
        return s == null ? 0 : s.queue().bytes() + s.inflight().bytes();
    }
}
