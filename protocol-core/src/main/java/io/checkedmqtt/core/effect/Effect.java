package io.checkedmqtt.core.effect;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.List;

/**
 * What the core asks the outside world to do, as data. The shell carries effects out in the
 * order they are listed; a {@link Close} takes effect after every {@link Send} before it on the
 * same connection has been written.
 *
 * <p>Besides instructions, some effects carry facts the shell needs and must not read from
 * packets itself: {@link Attached}, {@link Refused} and {@link Authenticating} tell it which
 * protocol version to encode a connection's packets in, and {@link Attached} which client a
 * connection belongs to (for its log lines); {@link MessagesDropped} tells its counters what the
 * core discarded; {@link Noted} carries what the core found out about a watched client (its
 * decisions, breaches, verdicts) for the client's trace and report.
 */
public sealed interface Effect {

    /**
     * A CONNECT is accepted: the connection now carries the session of {@code clientId} (the
     * identifier the server assigned, when the client sent none) and speaks {@code version}.
     * Comes before the CONNACK; every later {@link Send} to the connection is encoded in
     * {@code version}.
     */
    record Attached(ConnectionId connection, String clientId, ProtocolVersion version) implements Effect {
    }

    /**
     * A first CONNECT is refused, well-formed or not, and it stated {@code version}: the CONNACK
     * that follows is encoded in {@code version}, then a {@link Close} ends the connection.
     */
    record Refused(ConnectionId connection, ProtocolVersion version) implements Effect {
    }

    /**
     * Make these records durable, in order, before anything that follows them is written to any
     * connection: an acknowledgement (PUBACK, PUBREC, CONNACK with Session Present, SUBACK), a
     * PUBREL, or a message to a subscriber. Only a core with persistence on emits it, first in
     * the effects of every step that changed what a restart must bring back. The shell may
     * collect the records of many steps and make them durable at once, as long as no packet of
     * those steps is written before.
     */
    record Persist(List<DurableRecord> records) implements Effect {
        public Persist {
            records = List.copyOf(records);
        }
    }

    /**
     * A first CONNECT opened a 5.0 enhanced authentication exchange: the AUTH packets that follow
     * are encoded in {@code version}; an {@link Attached} or a {@link Refused} (same version) ends
     * the exchange.
     */
    record Authenticating(ConnectionId connection, ProtocolVersion version) implements Effect {
    }

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
     * A fact for the shell's counters: the session of {@code clientId} dropped {@code count}
     * messages in this step because its queue was full ({@code max_queued_messages},
     * {@code max_queued_bytes}). Nothing is to be done; the newest message was not kept.
     */
    record MessagesDropped(String clientId, long count) implements Effect {
    }

    /**
     * A line for the log: the core refused something a client asked for (a subscription, a
     * publish, its will) and no {@link Close} will say why. {@code connection} is the client's
     * connection, or null when it has none (a will published after a delay).
     */
    record Notice(ConnectionId connection, String message) implements Effect {
    }

    /**
     * A fact about a client the configuration watches ({@code WatchConfig}): a decision of the
     * core no packet shows, a breach of a statement that binds the client, a probe's verdict, or
     * the summary of its report when its connection ends. Nothing is to be done but to write it
     * down: in the client's trace, the log, the reports.
     *
     * @param connection the client's connection, or null while it has none
     */
    record Noted(String clientId, ConnectionId connection, Note note) implements Effect {
    }

    /**
     * Publisher flow control: read nothing more from this connection (what it sends waits in the
     * socket, and TCP slows the client down) until a {@link ResumeReading} for it. Packets already
     * read may still come; the core takes them as usual.
     */
    record PauseReading(ConnectionId connection) implements Effect {
    }

    /** The end of a {@link PauseReading}: read from this connection again (ignored when it is closed). */
    record ResumeReading(ConnectionId connection) implements Effect {
    }
}
