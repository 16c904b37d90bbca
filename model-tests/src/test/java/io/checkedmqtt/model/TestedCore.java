package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;

/**
 * The inputs of {@link BrokerCore} that the model tests drive. An interface only so that a test
 * can put a deliberately broken variant ({@link BrokenCore}) between the core and the harness;
 * production code never sees it.
 */
interface TestedCore {

    BrokerState initialState();

    Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis);

    Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis);

    Step connectionLost(BrokerState state, ConnectionId connection, long nowMillis);

    Step timerFired(BrokerState state, Timer timer, long nowMillis);

    /** The real core, unchanged. */
    static TestedCore of(BrokerConfig config) {
        BrokerCore core = new BrokerCore(config);
        return new TestedCore() {
            @Override
            public BrokerState initialState() {
                return core.initialState();
            }

            @Override
            public Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis) {
                return core.connectionOpened(state, connection, nowMillis);
            }

            @Override
            public Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis) {
                return core.packetReceived(state, connection, packet, nowMillis);
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
            public String toString() {
                return "BrokerCore";
            }
        };
    }
}
