package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
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

    /** An administrator asks for the client's connection to end (the HTTP API). */
    List<Effect> administratorDisconnects(String clientId, long nowMillis);

    /** An administrator deletes the retained message of {@code topic} (the HTTP API). */
    List<Effect> administratorDeletesRetained(String topic, long nowMillis);

    /** The broker publishes a message of its own ({@code $SYS}). */
    List<Effect> publishFromBroker(Publish publish, long nowMillis);

    /**
     * The core's state now: an immutable value, read by the HTTP API, the metrics and {@code $SYS}
     * on the loop thread between two inputs, and snapshotted by persistence.
     */
    BrokerState state();

    /** The rules the core judges connections by now. */
    Authorizer authorizer();

    /**
     * The shell did something to a connection's bytes on purpose (a fault rule or a probe for a
     * client under test): the core's view of the wire follows. Nothing by default.
     */
    default List<Effect> wireFault(ConnectionId connection, io.checkedmqtt.core.conformance.WireFault fault,
                                   long nowMillis) {
        return List.of();
    }

    /** Which clients are traced, reported on or probed changed (at run time). */
    default void watchChanged(io.checkedmqtt.core.config.WatchConfig watch) {
    }

    /** The watch over the clients under test (their reports); empty by default. */
    default io.checkedmqtt.core.conformance.Watch watch() {
        return io.checkedmqtt.core.conformance.Watch.EMPTY;
    }

    /**
     * The broker starts, before any connection: the deadlines of a recovered state (session
     * expiry, will delay). Nothing for a core that starts empty.
     */
    default List<Effect> started(long nowMillis) {
        return List.of();
    }

    /** The password, ACL or SCRAM files changed: judge the next inputs by these rules. */
    default void authorizerChanged(Authorizer authorizer) {
    }
}
