package io.checkedmqtt.broker;

import io.checkedmqtt.broker.observe.BrokerAccess;
import io.checkedmqtt.broker.observe.LoopTimes;
import io.checkedmqtt.broker.observe.PacketTrail;
import io.checkedmqtt.broker.observe.ShellCounters;
import io.checkedmqtt.broker.observe.Traffic;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.ConnectionId;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The loop's side of {@link BrokerAccess}: the core's state through the {@link CoreRunner}, the
 * shell's facts of each connection, its counters, and the two administrator actions as core
 * inputs. Called on the loop thread only.
 */
final class ShellAccess implements BrokerAccess {

    private final CoreRunner core;
    private final Connections connections;
    private final BrokerStats stats;
    private final Traffic traffic;
    private final LoopTimes loopTimes;
    private final List<Endpoint> listeners;
    private final LongSupplier now;
    private final long startedAt;
    /** Epoch milliseconds minus core milliseconds, taken once: the core's clock is monotonic. */
    private final long epochOffset;

    ShellAccess(CoreRunner core, Connections connections, BrokerStats stats, Traffic traffic, LoopTimes loopTimes,
                List<Listener> listeners, LongSupplier now) {
        this.core = core;
        this.connections = connections;
        this.stats = stats;
        this.traffic = traffic;
        this.loopTimes = loopTimes;
        this.now = now;
        this.startedAt = now.getAsLong();
        this.epochOffset = System.currentTimeMillis() - startedAt;
        List<Endpoint> endpoints = new ArrayList<>();
        for (Listener listener : listeners) {
            endpoints.add(new Endpoint(listener.name(), listener.address().getAddress().getHostAddress(),
                    listener.address().getPort()));
        }
        this.listeners = List.copyOf(endpoints);
    }

    @Override
    public BrokerState state() {
        return core.state();
    }

    @Override
    public long now() {
        return now.getAsLong();
    }

    @Override
    public long epochMillis(long coreMillis) {
        return coreMillis + epochOffset;
    }

    @Override
    public long startedAt() {
        return startedAt;
    }

    @Override
    public ConnectionFacts connection(ConnectionId id) {
        Connection c = connections.get(id);
        return c == null ? null : new ConnectionFacts(c.remote(), c.listener, c.openedAtMillis, c.bytesIn, c.bytesOut,
                c.droppedQos0);
    }

    @Override
    public List<PacketTrail.Entry> lastPackets(ConnectionId id) {
        Connection c = connections.get(id);
        return c == null || c.trail == null ? List.of() : c.trail.newestFirst();
    }

    @Override
    public ShellCounters counters() {
        return new ShellCounters(stats.connectionsAccepted(), stats.connectionsRefused(), stats.connectionsOpen(),
                stats.packetsIn(), stats.packetsOut(), stats.malformedInputs(), stats.droppedQos0(),
                stats.droppedToClosed(), stats.coreFailures());
    }

    @Override
    public Traffic traffic() {
        return traffic;
    }

    @Override
    public LoopTimes loopTimes() {
        return loopTimes;
    }

    @Override
    public List<Endpoint> listeners() {
        return listeners;
    }

    @Override
    public void disconnect(String clientId) {
        core.administratorDisconnects(clientId, now());
    }

    @Override
    public void deleteRetained(String topic) {
        core.administratorDeletesRetained(topic, now());
    }
}
