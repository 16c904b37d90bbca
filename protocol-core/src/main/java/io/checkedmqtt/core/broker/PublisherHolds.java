package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.effect.ConnectionId;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The publishers flow control holds ({@link io.checkedmqtt.core.config.FlowControl}), as an
 * immutable value: for each subscriber's session over its high-water mark, the publisher
 * connections waiting for it to drain; for each held connection, how many sessions it waits for.
 * A connection is read again when that count reaches zero. Both maps are empty unless flow
 * control is on and some subscriber is behind, so an idle broker carries nothing here.
 *
 * @param waitingFor session (client identifier) to the publisher connections it holds
 * @param held       held publisher connection to the number of sessions it waits for
 */
public record PublisherHolds(PersistentMap<String, List<ConnectionId>> waitingFor,
                      PersistentMap<ConnectionId, Integer> held) {

    static final PublisherHolds NONE = new PublisherHolds(PersistentMap.empty(), PersistentMap.empty());

    public PublisherHolds {
        Objects.requireNonNull(waitingFor, "waitingFor");
        Objects.requireNonNull(held, "held");
    }

    boolean isHeld(ConnectionId connection) {
        return held.containsKey(connection);
    }

    /** Whether some publisher waits for the session of {@code clientId}. */
    boolean holdsAny(String clientId) {
        return !waitingFor.isEmpty() && waitingFor.containsKey(clientId);
    }

    /** These holds with {@code publisher} waiting for the session of {@code clientId} too (once). */
    PublisherHolds hold(ConnectionId publisher, String clientId) {
        List<ConnectionId> waiting = waitingFor.get(clientId);
        if (waiting != null && waiting.contains(publisher)) {
            return this;
        }
        List<ConnectionId> more = new ArrayList<>(waiting == null ? List.of() : waiting);
        more.add(publisher);
        return new PublisherHolds(waitingFor.put(clientId, List.copyOf(more)),
                held.put(publisher, held.getOrDefault(publisher, 0) + 1));
    }

    /** The publishers waiting for the session of {@code clientId}. */
    List<ConnectionId> waitingFor(String clientId) {
        List<ConnectionId> waiting = waitingFor.get(clientId);
        return waiting == null ? List.of() : waiting;
    }

    /**
     * These holds without the session of {@code clientId}; the publishers it held wait for one
     * session fewer (a connection that closed meanwhile is already gone from {@code held}).
     */
    PublisherHolds release(String clientId) {
        PersistentMap<ConnectionId, Integer> counts = held;
        for (ConnectionId publisher : waitingFor(clientId)) {
            Integer count = counts.get(publisher);
            if (count != null) {
                counts = count == 1 ? counts.remove(publisher) : counts.put(publisher, count - 1);
            }
        }
        return new PublisherHolds(waitingFor.remove(clientId), counts);
    }

    /** These holds without a connection that closed: it waits for nothing any more. */
    PublisherHolds withoutConnection(ConnectionId connection) {
        return held.containsKey(connection) ? new PublisherHolds(waitingFor, held.remove(connection)) : this;
    }
}
