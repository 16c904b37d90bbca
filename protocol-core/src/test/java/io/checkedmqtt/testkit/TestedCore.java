package io.checkedmqtt.testkit;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * The inputs of {@link BrokerCore}, as the test harnesses drive them. An interface only so that a
 * test can put a deliberately broken variant between the core and the harness (model-tests'
 * {@code BrokenCore}); production code never sees it. (The shell's {@code CoreDriver} is a
 * different seam: it holds the state between calls, as the running broker needs.)
 */
public interface TestedCore {

    BrokerConfig config();

    BrokerState initialState();

    Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis);

    /** A packet; {@code serverNonce} as {@link BrokerCore#packetReceived(BrokerState, ConnectionId, Packet, long, String)} asks. */
    Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis, String serverNonce);

    /** A packet that needs no server nonce. */
    default Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis) {
        return packetReceived(state, connection, packet, nowMillis, null);
    }

    Step malformedPacket(BrokerState state, ConnectionId connection, ReasonCode reason, String detail,
                         ProtocolVersion version, long nowMillis);

    Step connectionLost(BrokerState state, ConnectionId connection, long nowMillis);

    Step timerFired(BrokerState state, Timer timer, long nowMillis);

    Step shutdown(BrokerState state, long nowMillis);

    /** The real core, unchanged. */
    static TestedCore of(BrokerConfig config) {
        BrokerCore core = new BrokerCore(config);
        return new TestedCore() {
            @Override
            public BrokerConfig config() {
                return core.config();
            }

            @Override
            public BrokerState initialState() {
                return core.initialState();
            }

            @Override
            public Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis) {
                return core.connectionOpened(state, connection, nowMillis);
            }

            @Override
            public Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis,
                                       String serverNonce) {
                return core.packetReceived(state, connection, packet, nowMillis, serverNonce);
            }

            @Override
            public Step malformedPacket(BrokerState state, ConnectionId connection, ReasonCode reason, String detail,
                                        ProtocolVersion version, long nowMillis) {
                return core.malformedPacket(state, connection, reason, detail, version, nowMillis);
            }

            @Override
            public Step connectionLost(BrokerState state, ConnectionId connection, long nowMillis) {
                return core.connectionLost(state, connection, nowMillis);
            }

            @Override
            public Step timerFired(BrokerState state, Timer timer, long nowMillis) {
                return core.timerFired(state, timer, nowMillis);
            }

            @Override
            public Step shutdown(BrokerState state, long nowMillis) {
                return core.shutdown(state, nowMillis);
            }

            @Override
            public String toString() {
                return "BrokerCore";
            }
        };
    }
}
