package io.checkedmqtt.broker.layer;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Layers on top of each other, as one layer: WebSocket over TLS is {@code [tls, webSocket]},
 * socket side first. Bytes from the socket go up through each layer in turn; bytes from above go
 * down through each. Whatever a layer has to say on its own (a pong, a close frame, an HTTP
 * answer) is passed down through the layers below it at once, so the bottom layer's outbound
 * bytes are always everything there is to write to the socket.
 *
 * <p>When a layer ends, the layers below it are closed after its last words have passed through
 * them: a WebSocket close frame goes out inside TLS, followed by close_notify.
 */
public final class LayerStack implements StreamLayer {

    private final StreamLayer[] layers;
    private final ByteBuffer[] single = new ByteBuffer[1];
    private String endReason;

    public LayerStack(List<StreamLayer> socketSideFirst) {
        if (socketSideFirst.isEmpty()) {
            throw new IllegalArgumentException("a stack needs at least one layer");
        }
        this.layers = socketSideFirst.toArray(new StreamLayer[0]);
    }

    @Override
    public ByteBuffer receive(ByteBuffer fromBelow) {
        ByteBuffer bytes = fromBelow;
        for (StreamLayer layer : layers) {
            bytes = layer.receive(bytes);
        }
        passDown();
        closeBelowEnded();
        return bytes;
    }

    @Override
    public void send(ByteBuffer[] fromAbove, int offset, int length) {
        layers[layers.length - 1].send(fromAbove, offset, length);
        passDown();
        closeBelowEnded();
    }

    /** Moves every layer's outbound bytes into the layer below it, top first. */
    private void passDown() {
        for (int i = layers.length - 1; i > 0; i--) {
            Outbound pending = layers[i].outbound();
            if (!pending.isEmpty()) {
                single[0] = pending.bytes();
                layers[i - 1].send(single, 0, 1);
                single[0] = null;
                pending.releaseIfEmpty();
            }
        }
    }

    /** Once a layer has ended, the layer under it closes too, after the ended layer's last bytes went into it. */
    private void closeBelowEnded() {
        for (int i = 0; i < layers.length; i++) {
            if (endReason == null && layers[i].endReason() != null) {
                endReason = layers[i].endReason();
            }
        }
        for (int i = layers.length - 1; i > 0; i--) {
            if (layers[i].endReason() != null && layers[i - 1].endReason() == null) {
                layers[i - 1].close();
                passDown();
            }
        }
    }

    @Override
    public Outbound outbound() {
        return layers[0].outbound();
    }

    @Override
    public boolean established() {
        return layers[layers.length - 1].established();
    }

    /**
     * Why the stack ended: the reason of the first layer that ended by itself (the lowest, when
     * several did in one step: a TLS failure explains the WebSocket one above it).
     */
    @Override
    public String endReason() {
        return endReason;
    }

    /** Closes from the top: a WebSocket close frame, then TLS close_notify after it. */
    @Override
    public void close() {
        layers[layers.length - 1].close();
        passDown();
        closeBelowEnded();
    }

    /** The layer of the given type, or null: the TLS layer, to read the client's certificate. */
    public <T extends StreamLayer> T find(Class<T> type) {
        for (StreamLayer layer : layers) {
            if (type.isInstance(layer)) {
                return type.cast(layer);
            }
        }
        return null;
    }
}
