package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.MemoryBudget;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.session.Session;

/**
 * Whether a session may take one more message under the budget of queued messages, all sessions
 * together ({@link MemoryBudget#maxQueuedMessages}, {@link MemoryBudget#maxQueuedBytes}); a message
 * it may not take is dropped for that session and counted, and the others still get theirs.
 *
 * <p>The policy keeps the sessions that do not read from taking what the others need. With
 * {@code H} sessions holding messages once this one is delivered (queued or in flight):
 * <ul>
 *   <li>each of them holds at most its share, {@code 1/H} of the budget;</li>
 *   <li>together they hold at most {@code H/(H+1)} of it, so there is always room left for a
 *       session that holds nothing yet (a client that reads what it is sent holds nothing
 *       between messages), and the budget itself is never passed.</li>
 * </ul>
 * A single session takes at most half the budget; a few subscribers that never read fill their
 * shares and then lose their newest messages, while a client that reads still gets every one.
 * Each session's copy of a message counts, though copies share their payload: the count errs on
 * the side of the heap.
 */
final class QueueBudget {

    private QueueBudget() {
    }

    static boolean admits(MemoryBudget budget, BrokerState state, Session target, Publish message) {
        Holdings held = state.holdings();
        long targetMessages = target.queue().size() + target.inflight().size();
        long targetBytes = target.queue().bytes() + target.inflight().bytes();
        long holders = held.holders() + (targetMessages == 0 ? 1 : 0);
        long weight = message.weight();
        return fits(held.queuedMessages() + 1, targetMessages + 1, budget.maxQueuedMessages(), holders)
                && fits(held.queuedBytes() + weight, targetBytes + weight, budget.maxQueuedBytes(), holders);
    }

    /** Whether {@code total} for all and {@code own} for the session stay within the policy for a budget of {@code max}. */
    private static boolean fits(long total, long own, long max, long holders) {
        if (max == MemoryBudget.UNBOUNDED) {
            return true;
        }
        long share = max / holders;
        return own <= share && total <= max - max / (holders + 1);
    }
}
