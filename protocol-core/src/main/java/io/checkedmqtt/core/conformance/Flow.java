package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.PacketType;

/**
 * One packet identifier the client used for a packet of its own (a QoS 1 or 2 PUBLISH, a
 * SUBSCRIBE, an UNSUBSCRIBE), as the client sees it: still in flight until the answer that ends
 * it has reached the client. Kept a little after it ended, so that a late resend is recognised.
 *
 * @param packetId    the identifier
 * @param type        PUBLISH, SUBSCRIBE or UNSUBSCRIBE
 * @param qos         the PUBLISH's QoS (0 for the others)
 * @param fingerprint what makes a resend the same message (topic, payload, QoS; the filters)
 * @param line        the packet as a trace line, for reports
 * @param connection  the connection it last came on
 * @param atMillis    when it last came
 * @param stage       where its handshake stands for the client
 */
record Flow(int packetId, PacketType type, int qos, int fingerprint, String line, ConnectionId connection,
            long atMillis, Stage stage) {

    /** Where the handshake stands, from the client's side of the wire. */
    enum Stage {
        /** Read by the core; its answer is being produced in this step. */
        ANSWERING,
        /** The answer (PUBACK, PUBREC, SUBACK, UNSUBACK) was dropped or is held back: the client waits. */
        ANSWER_WITHHELD,
        /** QoS 2: PUBREC reached the client, which now owes PUBREL. */
        AWAITING_PUBREL,
        /** QoS 2: the client sent PUBREL, but the PUBCOMP was dropped or is held back. */
        PUBCOMP_WITHHELD,
        /** The answer that ends it reached the client: the identifier is free again. */
        DONE
    }

    /** Whether the client must still treat the identifier as in use. */
    boolean inFlight() {
        return stage != Stage.DONE;
    }

    Flow at(Stage next) {
        return next == stage ? this : new Flow(packetId, type, qos, fingerprint, line, connection, atMillis, next);
    }
}
