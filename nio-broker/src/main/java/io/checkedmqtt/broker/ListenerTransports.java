package io.checkedmqtt.broker;

import io.checkedmqtt.broker.layer.LayerStack;
import io.checkedmqtt.broker.layer.Scratch;
import io.checkedmqtt.broker.tls.ServerTls;
import io.checkedmqtt.broker.websocket.WebSocketLayer;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The transport factory of each kind of listener: plain MQTT, MQTT over TLS, over WebSocket, and
 * over WebSocket inside TLS. TLS key material is loaded here, once per listener, so a missing or
 * bad certificate file stops the broker at start-up with a message that names it.
 */
final class ListenerTransports {

    /** Decoded bytes of every TLS layer, and of every WebSocket layer: the loop reads one socket at a time. */
    private final Scratch tlsScratch = new Scratch();
    private final Scratch webSocketScratch = new Scratch();
    private final int maximumPacketSize;

    ListenerTransports(int maximumPacketSize) {
        this.maximumPacketSize = maximumPacketSize;
    }

    Transport.Factory factoryFor(ListenerSettings listener) throws IOException {
        ServerTls tls = null;
        if (listener.tls() != null) {
            try {
                tls = ServerTls.load(listener.tls());
            } catch (GeneralSecurityException e) {
                throw new IOException("listener " + listener.port() + ": " + e.getMessage(), e);
            }
        }
        ServerTls serverTls = tls;
        String path = listener.websocketPath();
        if (listener.protocol() == ListenerSettings.Protocol.MQTT) {
            return serverTls == null ? PlainTransport.FACTORY
                    : socket -> new LayeredTransport(serverTls.newLayer(tlsScratch));
        }
        if (serverTls == null) {
            return socket -> new LayeredTransport(new WebSocketLayer(path, maximumPacketSize, webSocketScratch));
        }
        return socket -> new LayeredTransport(new LayerStack(List.of(serverTls.newLayer(tlsScratch),
                new WebSocketLayer(path, maximumPacketSize, webSocketScratch))));
    }
}
