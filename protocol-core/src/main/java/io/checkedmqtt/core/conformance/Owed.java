package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.config.ProbeKind;

/**
 * Something the client owes the broker by a deadline: a resend after its session resumed, the
 * acknowledgement of a message a probe queued for it. A probe's runs are kept as these too, with
 * the probe's name, and end in a verdict.
 *
 * @param kind        what is owed
 * @param packetId    the identifier it concerns (0 while a probe does not know it yet)
 * @param fingerprint the message it concerns, for recognising a resend under another identifier
 * @param line        the packet it concerns, as a trace line, for reports
 * @param phase       where it stands
 * @param dueMillis   when it is due; {@link #NO_DEADLINE} while waiting for the client to return
 * @param probe       the probe this is a run of, or null
 * @param sinceMillis when the client started to owe it (for the verdict's text)
 */
record Owed(Kind kind, int packetId, int fingerprint, String line, Phase phase, long dueMillis, ProbeKind probe,
            long sinceMillis) {

    static final long NO_DEADLINE = Long.MAX_VALUE;

    enum Kind {
        /** A PUBLISH again, with DUP 1 and the same identifier (for QoS 2, a PUBREL also settles it). */
        RESEND_PUBLISH,
        /** A PUBREL again (a PUBLISH with DUP 1 first is progress, not a settlement). */
        RESEND_PUBREL,
        /** The acknowledgement (PUBACK, or PUBREC and then PUBCOMP) of a PUBLISH the broker sent. */
        ACKNOWLEDGE,
        /**
         * A PUBCOMP, not 5.0's 0x92, for the broker's PUBREL of a QoS 2 message the client
         * PUBREC'd and whose PUBREL it never got: it must still hold the identifier.
         */
        COMPLETE
    }

    enum Phase {
        /** The client may act on this connection (3.1.1 resends inside a connection). */
        IN_CONNECTION,
        /** The connection was (or is about to be) cut; waiting for the client to come back. */
        AWAIT_RECONNECT,
        /** The session resumed; the client must act before the deadline. */
        AFTER_RECONNECT
    }

    Owed in(Phase next, long due) {
        return new Owed(kind, packetId, fingerprint, line, next, due, probe, sinceMillis);
    }

    Owed withPacketId(int id) {
        return new Owed(kind, id, fingerprint, line, phase, dueMillis, probe, sinceMillis);
    }
}
