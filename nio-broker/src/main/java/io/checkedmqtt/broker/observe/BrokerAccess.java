package io.checkedmqtt.broker.observe;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.ConnectionId;

import java.util.List;

/**
 * What the HTTP API, the metrics and the {@code $SYS} topics may read from the running broker,
 * and the two things the API may ask of it. Only the loop thread calls it, between two core
 * steps: {@link #state()} is then the core's current value, immutable, so reading it needs no
 * lock and a response made from it over several loop passes still describes one moment.
 */
public interface BrokerAccess {

    /** What the shell knows of an open MQTT connection that the core does not. */
    record ConnectionFacts(String remoteAddress, String listener, long openedAtMillis, long bytesIn, long bytesOut,
                           long droppedQos0) {
    }

    /** A listening socket: its kind ({@code mqtt}, {@code mqtts}, {@code ws}, {@code wss}, {@code http}) and address. */
    record Endpoint(String name, String address, int port) {
    }

    /** The core's state now. */
    BrokerState state();

    /** The core time of this loop pass, in milliseconds (the broker's monotonic clock). */
    long now();

    /** A core time as milliseconds since the epoch, for people. */
    long epochMillis(long coreMillis);

    /** The core time the broker started at. */
    long startedAt();

    /** Shell facts of an open connection, or null when it has closed. */
    ConnectionFacts connection(ConnectionId id);

    /** The last packets of an open connection both ways, newest first; empty when it has closed. */
    List<PacketTrail.Entry> lastPackets(ConnectionId id);

    ShellCounters counters();

    Traffic traffic();

    LoopTimes loopTimes();

    List<Endpoint> listeners();

    /** Has the core end the client's connection as an administrator's action (5.0: DISCONNECT 0x98). */
    void disconnect(String clientId);

    /** Has the core delete the retained message of {@code topic}. */
    void deleteRetained(String topic);
}
