package io.checkedmqtt.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.List;

/**
 * The protocol core as the loop sees it: one call per input, the effects to carry out in return.
 * {@link BrokerCoreDriver} holds the core's current state between calls; tests of the shell put a
 * small scripted fake here instead, so the loop is checked without the real protocol.
 */
interface CoreDriver {

    List<Effect> connectionOpened(ConnectionId connection, long nowMillis);

    List<Effect> packetReceived(ConnectionId connection, Packet packet, long nowMillis);

    /**
     * The decoder refused the connection's input with {@code reason}; {@code version} is what it
     * read the bytes as (for a first CONNECT, the version it states), or null when unknown.
     */
    List<Effect> malformedPacket(ConnectionId connection, ReasonCode reason, String detail, ProtocolVersion version,
                                 long nowMillis);

    List<Effect> connectionLost(ConnectionId connection, long nowMillis);

    List<Effect> timerFired(Timer timer, long nowMillis);

    List<Effect> shutdown(long nowMillis);

    /**
     * The broker starts, before any connection: the deadlines of a recovered state (session
     * expiry, will delay). Nothing for a core that starts empty.
     */
    default List<Effect> started(long nowMillis) {
        return List.of();
    }

    /** The core's state now (persistence snapshots it); null for a driver that keeps none. */
    default BrokerState state() {
        return null;
    }

    /** The password, ACL or SCRAM files changed: judge the next inputs by these rules. */
    default void authorizerChanged(Authorizer authorizer) {
    }
}
