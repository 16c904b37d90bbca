package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * The broker's protocol behaviour as pure functions: {@code (state, input, now) -> (state',
 * effects)}. The shell owns the current {@link BrokerState}, feeds every input through one of
 * these methods on its single thread, stores the new state and carries out the effects in order.
 * Time is milliseconds from any fixed origin; the caller promises it never goes backwards.
 *
 * <p>Driving contract, in the order a connection lives:
 * {@link #connectionOpened}, then {@link #packetReceived} per decoded packet (or
 * {@link #malformedPacket} once, after which the shell reads no more from that connection),
 * {@link #timerFired} whenever a scheduled deadline passes, {@link #connectionLost} when the
 * socket closes without the core asking for it, and {@link #shutdown} once at the end.
 *
 * <p>Placeholder: the session issue implements these.
 */
public final class BrokerCore {

    private final BrokerConfig config;

    public BrokerCore(BrokerConfig config) {
        this.config = config;
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerState initialState() {
        return new BrokerState();
    }

    public Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis) {
        throw new UnsupportedOperationException("session issue");
    }

    public Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis) {
        throw new UnsupportedOperationException("session issue");
    }

    /** The decoder rejected the connection's input with this reason; the core decides what the client is told. */
    public Step malformedPacket(BrokerState state, ConnectionId connection, ReasonCode reason, String detail,
                                long nowMillis) {
        throw new UnsupportedOperationException("session issue");
    }

    public Step connectionLost(BrokerState state, ConnectionId connection, long nowMillis) {
        throw new UnsupportedOperationException("session issue");
    }

    public Step timerFired(BrokerState state, Timer timer, long nowMillis) {
        throw new UnsupportedOperationException("session issue");
    }

    /** The broker is stopping: 5.0 clients get DISCONNECT 0x8B, every connection closes. */
    public Step shutdown(BrokerState state, long nowMillis) {
        throw new UnsupportedOperationException("session issue");
    }
}
