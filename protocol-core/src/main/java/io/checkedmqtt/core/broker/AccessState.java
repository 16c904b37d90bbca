package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.ClientIdentity;
import io.checkedmqtt.core.auth.EnhancedAuth;
import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connect;

import java.util.Objects;

/**
 * What the broker remembers about who its clients are, beside their sessions: the user name a
 * session authenticated with (kept while the session is offline, since messages routed to it are
 * still checked against its read rules), the enhanced-authentication state of each connection
 * that uses it, the publish pace of each connection when a rate cap is set, and the publishers
 * flow control holds.
 *
 * @param usernames   client identifier to authenticated user name; an anonymous client has none
 * @param enhanced    connection to its 5.0 enhanced authentication: the method, an exchange in
 *                    progress, and while that exchange runs inside CONNECT, the CONNECT itself
 * @param publishPace connection to the theoretical arrival time, in microseconds, of its next
 *                    PUBLISH under {@code maxPublishesPerSecond} (the generic cell rate algorithm:
 *                    one long per connection, no timer)
 * @param holds       the publishers not read until the subscribers they wait for drain
 */
public record AccessState(PersistentMap<String, String> usernames,
                   PersistentMap<ConnectionId, Enhanced> enhanced,
                   PersistentMap<ConnectionId, Long> publishPace,
                   PublisherHolds holds) {

    public static final AccessState EMPTY = new AccessState(PersistentMap.empty(), PersistentMap.empty(),
            PersistentMap.empty(), PublisherHolds.NONE);

    public AccessState {
        Objects.requireNonNull(usernames, "usernames");
        Objects.requireNonNull(enhanced, "enhanced");
        Objects.requireNonNull(publishPace, "publishPace");
        Objects.requireNonNull(holds, "holds");
    }

    /**
     * One connection's enhanced authentication.
     *
     * @param method    the Authentication Method of its CONNECT; every later AUTH must name it
     * @param exchange  the exchange waiting for the client's AUTH 0x18, or null
     * @param held      the CONNECT whose exchange is running (the connection is not attached
     *                  yet), or null once the CONNECT was accepted
     */
    public record Enhanced(String method, EnhancedAuth.InProgress exchange, Connect held) {
        public Enhanced {
            Objects.requireNonNull(method, "method");
        }
    }

    ClientIdentity identity(String clientId) {
        return new ClientIdentity(clientId, usernames.get(clientId));
    }

    AccessState withUsername(String clientId, String username) {
        PersistentMap<String, String> next = username == null ? usernames.remove(clientId)
                : usernames.put(clientId, username);
        return next == usernames ? this : new AccessState(next, enhanced, publishPace, holds);
    }

    AccessState withEnhanced(ConnectionId connection, Enhanced value) {
        return new AccessState(usernames, value == null ? enhanced.remove(connection) : enhanced.put(connection, value),
                publishPace, holds);
    }

    AccessState withPace(ConnectionId connection, long arrivalMicros) {
        return new AccessState(usernames, enhanced, publishPace.put(connection, arrivalMicros), holds);
    }

    /** This state without anything kept for a connection that closed. */
    AccessState withoutConnection(ConnectionId connection) {
        if (!enhanced.containsKey(connection) && !publishPace.containsKey(connection) && !holds.isHeld(connection)) {
            return this;
        }
        return new AccessState(usernames, enhanced.remove(connection), publishPace.remove(connection),
                holds.withoutConnection(connection));
    }

    AccessState withHolds(PublisherHolds h) {
        return h == holds ? this : new AccessState(usernames, enhanced, publishPace, h);
    }
}
