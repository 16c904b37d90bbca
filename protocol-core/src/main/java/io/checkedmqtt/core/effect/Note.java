package io.checkedmqtt.core.effect;

import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;

import java.util.List;
import java.util.Objects;

/**
 * What the core tells the shell about a watched client that no packet shows ({@link
 * Effect.Noted}): a decision it took about a message, a breach of a statement that binds the
 * client, or a probe's verdict. Pure data, for the client's trace, the log and the reports.
 */
public sealed interface Note {

    /** A decision of the core about one message, for or from the watched client. */
    record Decision(DecisionKind kind, Publish message, String reason) implements Note {
        public Decision {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The decisions a trace shows. */
    enum DecisionKind {
        /** The client published it; the router handed it to this many sessions. */
        ROUTED,
        /** Kept in the queue of the offline session. */
        QUEUED_OFFLINE,
        /** Kept in the queue: the in-flight window towards the client is full. */
        QUEUED_WINDOW_FULL,
        /** Not kept: the session's queue is full. */
        DROPPED_QUEUE_FULL,
        /** Not kept: QoS 0 is not queued for an offline session. */
        DROPPED_QOS0_OFFLINE,
        /** Not sent: its 5.0 Message Expiry Interval ran out while it waited. */
        EXPIRED,
        /** Not sent: larger than the client's 5.0 Maximum Packet Size. */
        TOO_LARGE,
        /** Delivered at a lower QoS than it was published with. */
        DOWNGRADED,
        /** Refused by the access control list. */
        REFUSED_BY_ACL
    }

    /**
     * A breach of a statement that binds the client.
     *
     * @param version   the protocol version the client spoke
     * @param statement the statement id in that version ({@code MQTT-4.4.0-1}), or empty when no
     *                  numbered statement covers it
     * @param rule      which check found it
     * @param detail    what happened, with the packet identifiers involved
     * @param packets   the packets involved, as trace lines without time (oldest first)
     * @param atMillis  when it was found
     */
    record Breach(ProtocolVersion version, String statement, ClientRule rule, String detail, List<String> packets,
                  long atMillis) implements Note {
        public Breach {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(statement, "statement");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(detail, "detail");
            packets = List.copyOf(packets);
        }

        /** The statement as tests and READMEs cite it: {@code v5 [MQTT-4.4.0-1]}. */
        public String citation() {
            return (version.isV5() ? "v5" : "v3.1.1") + (statement.isEmpty() ? "" : " [" + statement + "]");
        }
    }

    /** How a probe ended. */
    enum Outcome {
        /** The client did what the statements require. */
        PASS,
        /** The client did not; the verdict names the statement. */
        FAIL,
        /** The probe could not judge (the client started a clean session, its session ended, ...). */
        NOT_APPLICABLE
    }

    /**
     * The verdict of one run of a probe.
     *
     * @param probe      the probe's name ({@code qos1-retry})
     * @param version    the protocol version the client spoke
     * @param outcome    pass, fail or not applicable
     * @param statements the statement ids the probe checked, in that version, space-separated
     * @param detail     what the client did, with the packet identifiers involved
     * @param atMillis   when the verdict was reached
     */
    record Verdict(String probe, ProtocolVersion version, Outcome outcome, String statements, String detail,
                   long atMillis) implements Note {
        public Verdict {
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(statements, "statements");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The client's connection ended: its report so far in one line, for the trace and the log. */
    record Summary(String text) implements Note {
        public Summary {
            Objects.requireNonNull(text, "text");
        }
    }
}
