package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.List;
import java.util.function.Supplier;

/**
 * Every input the shell gives the core passes through here, one method per kind of input, and
 * the effects of each step go straight to the {@link EffectRunner}.
 *
 * <p>Containment lives here, in {@link #failed}: if the core throws, that is a bug in the core. The
 * driver keeps the state it had before the input (the core's values are immutable, so nothing
 * half-applied survives), the connection the input came from is closed and reported lost, and
 * every other client carries on. This is the place to record what led to a failure.
 */
final class CoreRunner {

    private final CoreDriver core;
    private final EffectRunner effects;
    private final Connections connections;
    private final BrokerLog log;
    private final BrokerStats stats;

    CoreRunner(CoreDriver core, EffectRunner effects, Connections connections, BrokerLog log, BrokerStats stats) {
        this.core = core;
        this.effects = effects;
        this.connections = connections;
        this.log = log;
        this.stats = stats;
    }

    void connectionOpened(Connection connection, long now) {
        step(connection, () -> core.connectionOpened(connection.id, now), now);
    }

    /** Called once per packet, so spelled out without a lambda: the JIT would not remove that allocation. */
    void packetReceived(Connection connection, Packet packet, long now) {
        List<Effect> result;
        try {
            result = core.packetReceived(connection.id, packet, now);
        } catch (RuntimeException e) {
            failed(connection, e, now);
            return;
        }
        effects.run(result);
    }

    /** The decoder refused the connection's input; {@code version}: what it read the bytes as, if known. */
    void malformedPacket(Connection connection, ReasonCode reason, String detail, ProtocolVersion version, long now) {
        step(connection, () -> core.malformedPacket(connection.id, reason, detail, version, now), now);
    }

    void timerFired(Timer timer, long now) {
        step(null, () -> core.timerFired(timer, now), now);
    }

    /** The broker starts: the deadlines of the state it starts with. */
    void started(long now) {
        step(null, () -> core.started(now), now);
    }

    void shutdown(long now) {
        step(null, () -> core.shutdown(now), now);
    }

    /**
     * The socket went away without the core asking (end of stream, a failed read or write): close
     * it and tell the core, which publishes the will and keeps or ends the session. A socket the
     * core had already closed is only closed.
     */
    void lost(Connection connection, String why, long now) {
        if (connection.closed) {
            return;
        }
        boolean coreAskedToClose = connection.closeRequested;
        connections.close(connection);
        if (log.connections()) {
            log.connection("disconnect " + connection.describe() + ": "
                    + (coreAskedToClose ? connection.closeText() + " (" + why + ")" : why + connection.droppedText()));
        }
        if (!coreAskedToClose) {
            step(null, () -> core.connectionLost(connection.id, now), now);
        }
    }

    /** Runs one core transition and carries out its effects; a failure closes only {@code blame}. */
    private void step(Connection blame, Supplier<List<Effect>> transition, long now) {
        List<Effect> result;
        try {
            result = transition.get();
        } catch (RuntimeException e) {
            failed(blame, e, now);
            return;
        }
        effects.run(result);
    }

    /**
     * The core threw on an input: a bug in the core. Its state is the one before the input; the
     * connection the input came from (if any) is closed and reported lost, nobody else is touched.
     */
    private void failed(Connection blame, RuntimeException e, long now) {
        stats.coreFailures++;
        log.error("core failed on input" + (blame == null ? "" : " from " + blame.describe()), e);
        if (blame == null || blame.closed) {
            return;
        }
        connections.close(blame);
        log.connection("disconnect " + blame.describe() + ": internal error");
        List<Effect> cleanup;
        try {
            cleanup = core.connectionLost(blame.id, now);
        } catch (RuntimeException again) {
            return;
        }
        effects.run(cleanup);
    }
}
