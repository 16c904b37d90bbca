package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.MemoryBudget;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.session.Session;

/**
 * Whether a session may take one more message under the budget of queued messages, all sessions
 * together ({@link MemoryBudget#maxQueuedMessages}, {@link MemoryBudget#maxQueuedBytes}); a message
 * it may not take is dropped for that session and counted, and the others still get theirs.
 *
 * <p>The policy keeps the sessions that do not read from taking what the others need:
 * <ul>
 *   <li>up to half of each budget, every session takes what it is sent;</li>
 *   <li>beyond that, only a session that holds less than its share (the budget divided by the
 *       number of sessions) takes more, up to the whole budget, which is never passed;</li>
 * </ul>
 * so a few subscribers that never read fill their share and then lose their newest messages,
 * while a client that reads what it is sent still gets every message.
 */
final class QueueBudget {

    private QueueBudget() {
    }

    static boolean admits(MemoryBudget budget, BrokerState state, Session target, Publish message) {
        long weight = message.weight();
        Holdings held = state.holdings();
        long messages = held.queuedMessages() + 1;
        long bytes = held.queuedBytes() + weight;
        if (messages > budget.maxQueuedMessages() || bytes > budget.maxQueuedBytes()) {
            return false;
        }
        if (messages <= budget.maxQueuedMessages() / 2 && bytes <= budget.maxQueuedBytes() / 2) {
            return true;
        }
        long sessions = Math.max(1, state.sessions().size());
        return target.queue().size() + target.inflight().size() + 1 <= budget.maxQueuedMessages() / sessions
                && target.queue().bytes() + target.inflight().bytes() + weight <= budget.maxQueuedBytes() / sessions;
    }
}
