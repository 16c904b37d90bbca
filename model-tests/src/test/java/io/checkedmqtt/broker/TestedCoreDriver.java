package io.checkedmqtt.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.TestedCore;

import java.util.List;

/**
 * The loop's view of a {@link TestedCore} (the real core, or model-tests' deliberately broken
 * one): holds the state between inputs, as {@link BrokerCoreDriver} does for the real core, so a
 * running broker can be started on a broken core. The administrator's inputs and the broker's
 * own publications are not part of what TestedCore offers; the tests turn {@code $SYS} off.
 */
final class TestedCoreDriver implements CoreDriver {

    private final TestedCore core;
    /** Whether the core is told what a fault rule did to the wire (off: a core that never hears of it). */
    private final boolean hearsWireFaults;
    private BrokerState state;

    TestedCoreDriver(TestedCore core) {
        this(core, true);
    }

    private TestedCoreDriver(TestedCore core, boolean hearsWireFaults) {
        this.core = core;
        this.hearsWireFaults = hearsWireFaults;
        this.state = core.initialState();
    }

    /** {@code core} in a broker whose shell does not tell it what its fault rules did to the wire. */
    static TestedCoreDriver deafToWireFaults(TestedCore core) {
        return new TestedCoreDriver(core, false);
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
    public List<Effect> wireFault(ConnectionId connection, WireFault fault, long nowMillis) {
        return hearsWireFaults ? take(core.wireFault(state, connection, fault, nowMillis)) : List.of();
    }

    @Override
    public List<Effect> shutdown(long nowMillis) {
        return take(core.shutdown(state, nowMillis));
    }

    @Override
    public List<Effect> administratorDisconnects(String clientId, long nowMillis) {
        throw new UnsupportedOperationException("no administrator inputs on a tested core");
    }

    @Override
    public List<Effect> administratorDeletesRetained(String topic, long nowMillis) {
        throw new UnsupportedOperationException("no administrator inputs on a tested core");
    }

    @Override
    public List<Effect> publishFromBroker(Publish publish, long nowMillis) {
        throw new UnsupportedOperationException("no $SYS on a tested core (sys_interval 0)");
    }

    @Override
    public BrokerState state() {
        return state;
    }

    @Override
    public Authorizer authorizer() {
        return core.config().authorizer();
    }

    @Override
    public List<Effect> started(long nowMillis) {
        return take(core.recovered(state, nowMillis));
    }
}
