package io.checkedmqtt.core.effect;

/**
 * The named timers the core can ask the shell to keep. Each key is scheduled at most once at a
 * time: scheduling it again moves its deadline. The shell calls back with the key when the
 * deadline passes; the core checks whether the timer still matters (it may be stale).
 */
public sealed interface Timer {

    /** No CONNECT arrived in time on a fresh connection. */
    record ConnectTimeout(ConnectionId connection) implements Timer {
    }

    /** 1.5 x Keep Alive passed without a packet from the client [MQTT-3.1.2-24 in 3.1.1, MQTT-3.1.2-22 in 5.0]. */
    record KeepAlive(ConnectionId connection) implements Timer {
    }

    /** 3.1.1 only: the next timed resend of unacknowledged PUBLISH / PUBREL for this client. */
    record Resend(String clientId) implements Timer {
    }

    /** 5.0 Will Delay Interval of this client's will ended. */
    record WillDelay(String clientId) implements Timer {
    }

    /** The Session Expiry Interval of this disconnected client ended. */
    record SessionExpiry(String clientId) implements Timer {
    }

    /**
     * A deadline of the watch over this client came: a resend owed since its session resumed, a
     * probe waiting for the client (see {@code WatchConfig}). Only watched clients have one.
     */
    record Watch(String clientId) implements Timer {
    }
}
