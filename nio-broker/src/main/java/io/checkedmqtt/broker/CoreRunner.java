package io.checkedmqtt.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every input the shell gives the core passes through here, one method per kind of input, and
 * the effects of each step go straight to the {@link EffectRunner}.
 *
 * <p>Containment lives here, in {@link #failed}: if the core throws (a {@link RuntimeException},
 * or a {@link StackOverflowError} from input deeper than the core was made for), that is a bug in
 * the core. The driver keeps the state it had before the input (the core's values are immutable,
 * so nothing half-applied survives); the connection the input concerned is closed, a 5.0 client
 * first getting DISCONNECT with 0x83 Implementation specific error for a packet (5.0 table 3-10:
 * "the packet received is valid but cannot be processed by this implementation") or 0x80
 * Unspecified error for a deadline; the core is told the connection is gone (its will goes out, its
 * session stays or ends as for any lost connection); one line is logged and the failure counted
 * and written down to be replayed ({@link CoreFailureReport}); every other client carries on.
 * {@link OutOfMemoryError} and other errors are not contained here: the loop's handler ends the
 * process.
 */
final class CoreRunner {

    private final CoreDriver core;
    private final EffectRunner effects;
    private final Connections connections;
    private final BrokerLog log;
    private final BrokerStats stats;
    private final CoreFailureReport reports;
    private final ClientTesting testing;

    CoreRunner(CoreDriver core, EffectRunner effects, Connections connections, BrokerLog log, BrokerStats stats,
               CoreFailureReport reports, ClientTesting testing) {
        this.testing = testing;
        this.core = core;
        this.effects = effects;
        this.connections = connections;
        this.log = log;
        this.stats = stats;
        this.reports = reports;
    }

    void connectionOpened(Connection connection, long now) {
        connection.openedAtMillis = now;
        step(connection, "opened", null, () -> core.connectionOpened(connection.id, now), now);
    }

    /** Called once per packet, so spelled out without a lambda: the JIT would not remove that allocation. */
    void packetReceived(Connection connection, Packet packet, long now) {
        if (connection.connect == null && packet instanceof Connect connect) {
            connection.connect = connect;
            connection.connectAtMillis = now;
        }
        List<Effect> result;
        try {
            result = core.packetReceived(connection.id, packet, now);
        } catch (RuntimeException | StackOverflowError e) {
            failed(connection, "packet " + CoreFailureReport.versionOf(connection, packet), packet, e, now);
            return;
        }
        effects.run(result, now);
        if (testing.hasNotices()) {
            reportFaults(now);
        }
    }

    /** The decoder refused the connection's input; {@code version}: what it read the bytes as, if known. */
    void malformedPacket(Connection connection, ReasonCode reason, String detail, ProtocolVersion version, long now) {
        step(connection, "malformed " + reason.name() + " " + version + " " + detail, null,
                () -> core.malformedPacket(connection.id, reason, detail, version, now), now);
    }

    void timerFired(Timer timer, long now) {
        step(connectionOf(timer), "timer " + describe(timer), null, () -> core.timerFired(timer, now), now);
    }

    /** The broker starts: the deadlines of the state it starts with. */
    void started(long now) {
        step(null, "started", null, () -> core.started(now), now);
    }

    void shutdown(long now) {
        step(null, "shutdown", null, () -> core.shutdown(now), now);
    }

    void administratorDisconnects(String clientId, long now) {
        step(null, "administrator-disconnect " + clientId, null, () -> core.administratorDisconnects(clientId, now), now);
    }

    void administratorDeletesRetained(String topic, long now) {
        step(null, "administrator-delete-retained " + topic, null,
                () -> core.administratorDeletesRetained(topic, now), now);
    }

    void publishFromBroker(Publish publish, long now) {
        step(null, "broker-publish", publish, () -> core.publishFromBroker(publish, now), now);
    }

    /** Who may connect: the rules the core judges by now (the HTTP listener asks the same password file). */
    Authorizer authorizer() {
        return core.authorizer();
    }

    /** The core's current state (an immutable value). */
    BrokerState state() {
        return core.state();
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
        if (connection.tested != null) {
            testing.closing(connection, "lost: " + why, now);
        }
        connections.close(connection);
        if (log.connections()) {
            log.connection("disconnect " + connection.describe() + ": "
                    + (coreAskedToClose ? connection.closeText() + " (" + why + ")" : why + connection.droppedText()));
        }
        if (!coreAskedToClose) {
            step(connection, "lost", null, () -> core.connectionLost(connection.id, now), now);
        }
    }

    /**
     * A fault rule or probe cuts the connection: the core hears what was done to the wire, then
     * that the connection is gone, as for any socket lost under it.
     */
    void cut(Connection connection, String why, long now) {
        reportFaults(now);
        lost(connection, why, now);
    }

    /**
     * Tells the core, in order, the faults the client-testing hooks injected ({@link ClientTesting}),
     * after the step that made the packets they acted on; what the core answers may inject more.
     */
    void reportFaults(long now) {
        while (testing.hasNotices()) {
            for (ClientTesting.Notice n : testing.takeNotices()) {
                step(n.connection(), "wire-fault " + n.fault(), null,
                        () -> core.wireFault(n.connection().id, n.fault(), now), now);
            }
        }
    }

    /** Runs one core transition and carries out its effects; a failure closes only {@code blame}. */
    private void step(Connection blame, String input, Packet packet, Supplier<List<Effect>> transition, long now) {
        List<Effect> result;
        try {
            result = transition.get();
        } catch (RuntimeException | StackOverflowError e) {
            failed(blame, input, packet, e, now);
            return;
        }
        effects.run(result, now);
        if (testing.hasNotices()) {
            reportFaults(now);
        }
    }

    /**
     * The core threw on an input: a bug in the core. Its state is the one before the input. It is
     * counted, written down, logged in one line, and the connection the input concerned (if any,
     * and still open) is closed and reported lost; nobody else is touched.
     */
    private void failed(Connection blame, String input, Packet packet, Throwable e, long now) {
        stats.coreFailures++;
        String report = reports.write(blame, input, packet, e, now);
        log.error("core failed on " + input.split(" ", 2)[0] + (blame == null ? "" : " from " + blame.describe())
                + " (" + report + ")", e);
        if (blame == null || blame.closed || blame.closeRequested) {
            return;
        }
        blame.inputEnded = true;
        List<Effect> goodbye = new ArrayList<>(2);
        if (blame.clientId != null && blame.encodeVersion().isV5()) {
            // only after a CONNACK that accepted [v5 MQTT-3.14.0-1]
            goodbye.add(new Effect.Send(blame.id, new Disconnect(packet != null
                    ? ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR : ReasonCode.UNSPECIFIED_ERROR)));
        }
        goodbye.add(new Effect.Close(blame.id, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                "internal error, see the log"));
        effects.run(goodbye, now);
        List<Effect> cleanup;
        try {
            cleanup = core.connectionLost(blame.id, now);
        } catch (RuntimeException | StackOverflowError again) {
            stats.coreFailures++;
            log.error("core failed again, on the loss of " + blame.describe(), again);
            return;
        }
        effects.run(cleanup, now);
    }

    /** The open connection a timer concerns, or null (a deadline of an offline session, or a gone socket). */
    private Connection connectionOf(Timer timer) {
        ConnectionId id = null;
        String clientId = null;
        if (timer instanceof Timer.KeepAlive t) {
            id = t.connection();
        } else if (timer instanceof Timer.ConnectTimeout t) {
            id = t.connection();
        } else if (timer instanceof Timer.Resend t) {
            clientId = t.clientId();
        } else if (timer instanceof Timer.WillDelay t) {
            clientId = t.clientId();
        } else if (timer instanceof Timer.SessionExpiry t) {
            clientId = t.clientId();
        }
        return id != null ? connections.get(id) : connections.withClientId(clientId);
    }

    /** A timer as a report's input line: its kind, and the client it names. */
    private static String describe(Timer timer) {
        String kind = timer.getClass().getSimpleName();
        if (timer instanceof Timer.Resend t) {
            return kind + " " + t.clientId();
        } else if (timer instanceof Timer.WillDelay t) {
            return kind + " " + t.clientId();
        } else if (timer instanceof Timer.SessionExpiry t) {
            return kind + " " + t.clientId();
        }
        return kind;
    }
}
