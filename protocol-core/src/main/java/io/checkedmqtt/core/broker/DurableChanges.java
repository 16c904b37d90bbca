package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.DurableRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What must be durable after a step, as the difference between two broker states: the records
 * that turn the <em>durable view</em> of {@code before} into that of {@code after}
 * ({@link DurableRecord} says what the view holds). A pure function of two values, so the
 * per-packet session code knows nothing of persistence, and "nothing forgotten" is one property:
 * replaying the records of every step gives the durable view of the last state
 * ({@code DurabilityModelTest}).
 *
 * <p>It is cheap because the state is persistent: a step copies only what it changed, and the
 * comparison skips everything the two states share by reference. The session table is compared
 * by {@code PersistentMap.changesSince}, which visits only the sessions a step replaced; each of
 * those by {@link SessionChanges}, part by part; the retained messages by
 * {@code RetainedMessages.changesSince}, which visits only the topics that changed.
 *
 * <p>A snapshot is the same function from the empty state: {@link #between} the initial state
 * and any state gives the records that build it from nothing.
 */
public final class DurableChanges {

    private DurableChanges() {
    }

    /** The records from {@code before} to {@code after}, in the order they are to be applied. */
    public static List<DurableRecord> between(BrokerState before, BrokerState after) {
        List<DurableRecord> out = new ArrayList<>(4);
        between(before, after, out::add);
        return out;
    }

    /** As {@link #between(BrokerState, BrokerState)}, handing each record to {@code out} as it is found. */
    public static void between(BrokerState before, BrokerState after, Consumer<DurableRecord> out) {
        if (before == after) {
            return;
        }
        after.sessions().changesSince(before.sessions(), (clientId, was, now) ->
                SessionChanges.of(clientId, was, before.router(), now, after.router(), out));
        if (before.router().retained() != after.router().retained()) {
            after.router().retained().changesSince(before.router().retained(), (was, now) ->
                    out.accept(now == null ? new DurableRecord.RetainedCleared(was.publish().topic())
                            : new DurableRecord.RetainedSet(now)));
        }
    }
}
