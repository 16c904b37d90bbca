package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.TestClient;
import io.checkedmqtt.testkit.paho.V3Client;
import io.checkedmqtt.testkit.paho.V5Client;
import javax.net.SocketFactory;

/**
 * The ways a Paho client reaches the test broker: MQTT over TCP, over TLS, over WebSocket and
 * over secure WebSocket. The broker must have been started {@link TestBroker#withTransports()}.
 */
enum Transports {
    TCP("tcp", "mqtt", ""),
    TLS("ssl", "mqtts", ""),
    WS("ws", "ws", "/mqtt"),
    WSS("wss", "wss", "/mqtt");

    private final String uriScheme;
    private final String listenerScheme;
    private final String path;

    Transports(String uriScheme, String listenerScheme, String path) {
        this.uriScheme = uriScheme;
        this.listenerScheme = listenerScheme;
        this.path = path;
    }

    int port(TestBroker broker) {
        return broker.broker.port(listenerScheme);
    }

    String uri(TestBroker broker) {
        return uriScheme + "://127.0.0.1:" + port(broker) + path;
    }

    boolean secure() {
        return this == TLS || this == WSS;
    }

    /** For TLS and WSS a factory that trusts the test CA; null otherwise. */
    SocketFactory socketFactory(TestBroker broker) throws Exception {
        return secure() ? broker.pki().clientContext(false).getSocketFactory() : null;
    }

    TestClient client(TestBroker broker, Versions version, String clientId) throws Exception {
        return version == Versions.V3_1_1
                ? broker.track(new V3Client(uri(broker), clientId, socketFactory(broker)))
                : broker.track(new V5Client(uri(broker), clientId, socketFactory(broker)));
    }
}
