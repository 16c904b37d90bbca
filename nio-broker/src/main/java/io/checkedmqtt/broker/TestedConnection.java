package io.checkedmqtt.broker;

import io.checkedmqtt.broker.clienttest.ClientTrace;
import io.checkedmqtt.core.packet.Packet;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * What the loop keeps for a connection whose client is traced or under fault rules or probes
 * ({@link ClientTesting}); null on every other connection, which is the whole cost of the
 * feature for them. Loop thread only.
 */
final class TestedConnection {

    /** A packet held back by a delay, with the bytes it was encoded to. */
    record Held(Packet packet, ByteBuffer bytes) {
    }

    final String clientId;
    /** Null when the client is not traced. */
    final ClientTrace trace;
    /** Whether fault rules or probes may act on the client. */
    final boolean faulted;
    /** Packets held back by a delay, oldest first (everything behind the delayed one waits too); null when none. */
    ArrayDeque<Held> held;
    /** A packet from the client held back by a delay; null when none. */
    Packet heldInbound;
    /** Set once a cut is due: the text of why. Nothing is read any more; packets after it are lost with it. */
    String cut;

    TestedConnection(String clientId, ClientTrace trace, boolean faulted) {
        this.clientId = clientId;
        this.trace = trace;
        this.faulted = faulted;
    }

    void trace(String line) {
        if (trace != null) {
            trace.add(line);
        }
    }
}
