package io.checkedmqtt.core.broker;

/** What the broker knows about one open network connection. */
public sealed interface ConnectionState {

    /** Open, no CONNECT yet: the first packet must be CONNECT [v3.1.1 MQTT-3.1.0-1]. */
    record AwaitingConnect(long openedAtMillis) implements ConnectionState {
    }

    /** CONNECT accepted: the connection carries this client's session. */
    record Attached(String clientId) implements ConnectionState {
    }
}
