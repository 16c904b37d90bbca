package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.List;

/**
 * Drives the pure {@link BrokerCore}: keeps the current {@link BrokerState}, replaces it with the
 * state of each {@link Step} and hands back the step's effects. If a transition throws, the state
 * stays as it was before the input (the core's values are immutable, so nothing half-applied
 * survives) and the exception goes to the loop, which closes that one connection.
 */
final class BrokerCoreDriver implements CoreDriver {

    private final BrokerCore core;
    private BrokerState state;

    BrokerCoreDriver(BrokerCore core) {
        this(core, core.initialState());
    }

    /** A driver that starts from {@code initial}: the state persistence recovered. */
    BrokerCoreDriver(BrokerCore core, BrokerState initial) {
        this.core = core;
        this.state = initial;
    }

    BrokerState state() {
        return state;
    }

    private List<Effect> take(Step step) {
        state = step.state();
        return step.effects();
    }

    @Override
    public List<Effect> connectionOpened(ConnectionId connection, long nowMillis) {
        return take(core.connectionOpened(state, connection, nowMillis));
    }

    @Override
    public List<Effect> packetReceived(ConnectionId connection, Packet packet, long nowMillis) {
        return take(core.packetReceived(state, connection, packet, nowMillis));
    }

    @Override
    public List<Effect> malformedPacket(ConnectionId connection, ReasonCode reason, String detail,
                                        ProtocolVersion version, long nowMillis) {
        return take(core.malformedPacket(state, connection, reason, detail, version, nowMillis));
    }

    @Override
    public List<Effect> connectionLost(ConnectionId connection, long nowMillis) {
        return take(core.connectionLost(state, connection, nowMillis));
    }

    @Override
    public List<Effect> timerFired(Timer timer, long nowMillis) {
        return take(core.timerFired(state, timer, nowMillis));
    }

    @Override
    public List<Effect> shutdown(long nowMillis) {
        return take(core.shutdown(state, nowMillis));
    }

    @Override
    public List<Effect> started(long nowMillis) {
        return take(core.recovered(state, nowMillis));
    }
}
