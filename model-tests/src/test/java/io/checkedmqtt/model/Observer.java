package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * What the {@link World} tells the reference model and the trace recorder, in the order it
 * happens. The calls are at the level of the TLA+ spec: a connection only counts once the core
 * accepted its CONNECT, and an ended connection is one the server had accepted.
 */
interface Observer {

    /** Why the server's side of an accepted connection ended. */
    enum Ending { DISCONNECT, LOST, TAKEN_OVER, CLOSED_BY_SERVER }

    /** Which input made the core send a packet. */
    enum Cause { CONNECT, PACKET, RESEND_TIMER, OTHER_TIMER, CONNECTION_END }

    default void clientPublished(String client, String message, int qos, int packetId) {
    }

    default void serverAccepted(String client, Connect connect, boolean sessionPresent) {
    }

    default void serverEnded(String client, Ending ending, ReasonCode reason) {
    }

    /** The core read a packet (not CONNECT, not DISCONNECT) from an accepted connection. */
    default void serverReceived(String client, Packet packet) {
    }

    default void serverSent(String client, Packet packet, Cause cause) {
    }

    /** The client read a packet from its current connection. */
    default void clientRead(String client, Packet packet) {
    }

    /** The client handed a message to its application. */
    default void applicationReceived(String client, String message, int qos) {
    }

    default void timeAdvanced(long nowMillis) {
    }

    /** The core finished one step (an input and all its effects); {@code state} is its new state. */
    default void coreStepped(BrokerState state) {
    }
}
