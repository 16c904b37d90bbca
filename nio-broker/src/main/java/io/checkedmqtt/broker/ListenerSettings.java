package io.checkedmqtt.broker;

import io.checkedmqtt.broker.tls.TlsSettings;

import java.util.Objects;

/**
 * One listening socket besides the plain MQTT port of {@link BrokerSettings}: its port, address,
 * protocol (MQTT over TCP, or over WebSocket at a path) and, when it has TLS settings, TLS under
 * either. Written in the config file as a Mosquitto listener section:
 *
 * <pre>
 * listener 8884 127.0.0.1
 * protocol websockets
 * certfile /etc/mosquitto/certs/server.crt
 * keyfile /etc/mosquitto/certs/server.key
 * </pre>
 *
 * @param address       the address to bind, or null for the broker's {@code bind_address}
 * @param tls           TLS settings, or null for none
 * @param websocketPath the request path served over WebSocket ({@code /mqtt} by default)
 */
public record ListenerSettings(int port, String address, Protocol protocol, TlsSettings tls, String websocketPath) {

    /** What the listener speaks above TCP (or TLS), named as in Mosquitto's {@code protocol} setting. */
    public enum Protocol {
        MQTT, WEBSOCKETS
    }

    public static final String DEFAULT_WEBSOCKET_PATH = "/mqtt";

    public ListenerSettings {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("listener port must be 0..65535, was " + port);
        }
        websocketPath = websocketPath == null ? DEFAULT_WEBSOCKET_PATH : websocketPath;
        if (!websocketPath.startsWith("/")) {
            throw new IllegalArgumentException("websocket_path must start with '/', was '" + websocketPath + "'");
        }
    }

    public static ListenerSettings mqtt(int port, TlsSettings tls) {
        return new ListenerSettings(port, null, Protocol.MQTT, tls, null);
    }

    public static ListenerSettings websockets(int port, TlsSettings tls) {
        return new ListenerSettings(port, null, Protocol.WEBSOCKETS, tls, null);
    }

    public ListenerSettings withPort(int value) {
        return new ListenerSettings(value, address, protocol, tls, websocketPath);
    }

    /** The URI scheme clients use for it: {@code mqtt}, {@code mqtts}, {@code ws} or {@code wss}. */
    public String scheme() {
        if (protocol == Protocol.WEBSOCKETS) {
            return tls == null ? "ws" : "wss";
        }
        return tls == null ? "mqtt" : "mqtts";
    }

    /** The address to bind, given the broker's default. */
    public String bindAddress(String brokerDefault) {
        return address == null ? brokerDefault : address;
    }
}
