package io.checkedmqtt.core.effect;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * What the core asks the outside world to do, as data. The shell carries effects out in the
 * order they are listed; a {@link Close} takes effect after every {@link Send} before it on the
 * same connection has been written.
 */
public sealed interface Effect {

    /** Write this packet to the connection. */
    record Send(ConnectionId connection, Packet packet) implements Effect {
    }

    /**
     * Close the connection. {@code reason} says why (for the log line); any DISCONNECT the
     * client should see comes as a {@link Send} before this.
     */
    record Close(ConnectionId connection, ReasonCode reason, String detail) implements Effect {
    }

    /** Call {@code timerFired} with this key at or after {@code deadlineMillis}; replaces any earlier deadline. */
    record ScheduleTimer(Timer timer, long deadlineMillis) implements Effect {
    }

    /** Forget this timer if it is pending. */
    record CancelTimer(Timer timer) implements Effect {
    }

    /**
     * A line for the log: the core refused something a client asked for (a subscription, a
     * publish, its will) and no {@link Close} will say why. {@code connection} is the client's
     * connection, or null when it has none (a will published after a delay).
     */
    record Notice(ConnectionId connection, String message) implements Effect {
    }
}
