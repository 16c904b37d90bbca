package io.checkedmqtt.broker;

import java.util.Objects;

/**
 * The HTTP listener: the JSON API, {@code /metrics}, the dashboard, and MQTT over WebSocket at
 * {@code /mqtt}, all on one port served by the broker's loop. Off unless the config file has an
 * {@code http_listener} line or the command line says {@code --test-server}.
 *
 * @param port                 TCP port (0 picks a free one)
 * @param address              address to bind; 127.0.0.1 unless {@code http_listener} names another
 *                             (the API can disconnect clients: it is not for the network unless asked)
 * @param maxConnections       HTTP connections open at once; one more is answered 503 and closed
 * @param requestTimeoutMillis how long a request may take to arrive, from its first byte (or from
 *                             accept); a request still incomplete then gets 408 and a close
 * @param idleTimeoutMillis    how long a kept-alive connection may sit idle, or a response wait for
 *                             its client to read, before the connection is closed
 */
public record HttpSettings(int port, String address, int maxConnections, long requestTimeoutMillis,
                           long idleTimeoutMillis) {

    public static final int DEFAULT_PORT = 18083;
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;

    public HttpSettings {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("http_listener port must be 0..65535, was " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("http_max_connections must be at least 1, was " + maxConnections);
        }
        if (requestTimeoutMillis < 1 || idleTimeoutMillis < 1) {
            throw new IllegalArgumentException("HTTP timeouts must be at least 1 ms");
        }
    }

    /** A listener on {@code port} at 127.0.0.1 with the default limits. */
    public static HttpSettings on(int port) {
        return new HttpSettings(port, DEFAULT_ADDRESS, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MILLIS,
                DEFAULT_IDLE_TIMEOUT_MILLIS);
    }

    public HttpSettings withAddress(String value) {
        return new HttpSettings(port, value, maxConnections, requestTimeoutMillis, idleTimeoutMillis);
    }

    public HttpSettings withLimits(int connections, long requestTimeout, long idleTimeout) {
        return new HttpSettings(port, address, connections, requestTimeout, idleTimeout);
    }
}
