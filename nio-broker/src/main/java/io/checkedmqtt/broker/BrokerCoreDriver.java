package io.checkedmqtt.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Drives the pure {@link BrokerCore}: keeps the current {@link BrokerState}, replaces it with the
 * state of each {@link Step} and hands back the step's effects. If a transition throws, the state
 * stays as it was before the input (the core's values are immutable, so nothing half-applied
 * survives) and the exception goes to the loop, which closes that one connection.
 */
final class BrokerCoreDriver implements CoreDriver {

    private BrokerCore core;
    private BrokerState state;
    /** Drawn only for packets that may open an authentication exchange (the core cannot draw them). */
    private final SecureRandom random = new SecureRandom();

    BrokerCoreDriver(BrokerCore core) {
        this(core, core.initialState());
    }

    /** A driver that starts from {@code initial}: the state persistence recovered. */
    BrokerCoreDriver(BrokerCore core, BrokerState initial) {
        this.core = core;
        this.state = initial;
    }

    /**
     * New rules from the auth files: the next input is judged by them. The state is kept, so
     * connected clients stay connected with their sessions.
     */
    @Override
    public void authorizerChanged(Authorizer authorizer) {
        core = new BrokerCore(core.config().toBuilder().authorizer(authorizer).build(), core.watchConfig(),
                core.persistence());
    }

    /** New patterns or probes for the clients under test: the state, with the reports so far, is kept. */
    @Override
    public void watchChanged(io.checkedmqtt.core.config.WatchConfig watch) {
        core = new BrokerCore(core.config(), watch, core.persistence());
    }

    @Override
    public io.checkedmqtt.core.conformance.Watch watch() {
        return state.watch();
    }

    @Override
    public List<Effect> wireFault(ConnectionId connection, io.checkedmqtt.core.conformance.WireFault fault,
                                  long nowMillis) {
        return take(core.wireFault(state, connection, fault, nowMillis));
    }

    /** 18 random bytes as 24 base64 characters: a SCRAM server nonce (no ',' and printable). */
    private String serverNonce() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public Authorizer authorizer() {
        return core.config().authorizer();
    }

    @Override
    public BrokerState state() {
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
        return take(core.packetReceived(state, connection, packet, nowMillis,
                BrokerCore.needsServerNonce(packet) ? serverNonce() : null));
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
    public List<Effect> administratorDisconnects(String clientId, long nowMillis) {
        return take(core.administratorDisconnects(state, clientId, nowMillis));
    }

    @Override
    public List<Effect> administratorDeletesRetained(String topic, long nowMillis) {
        return take(core.administratorDeletesRetained(state, topic, nowMillis));
    }

    @Override
    public List<Effect> publishFromBroker(Publish publish, long nowMillis) {
        return take(core.publishFromBroker(state, publish, nowMillis));
    }

    @Override
    public List<Effect> started(long nowMillis) {
        return take(core.recovered(state, nowMillis));
    }
}
