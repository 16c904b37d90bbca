package io.checkedmqtt.bench.load.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * How the load tool's MQTT bytes travel: straight over TCP ({@link #PLAIN}), or through layers
 * ({@code tls}, {@code ws}, {@code wss}). A layered wire keeps its own buffers between the
 * client's MQTT buffers and the socket; the plain wire is the socket itself.
 */
public abstract class Wire {

    /** MQTT over TCP: no layer, no copy. */
    public static final Factory PLAIN = () -> null;

    /** Makes the wire of one connection; null means plain. */
    @FunctionalInterface
    public interface Factory {
        Wire create();
    }

    public static Factory tls(final TlsSettings tls) {
        return () -> new Layered(List.of(new TlsLayer(tls)));
    }

    public static Factory webSocket(final String host, final String path) {
        return () -> new Layered(List.of(new WebSocketLayer(host, path)));
    }

    public static Factory secureWebSocket(final TlsSettings tls, final String host, final String path) {
        return () -> new Layered(List.of(new TlsLayer(tls), new WebSocketLayer(host, path)));
    }

    public abstract void start(SocketChannel channel) throws IOException;

    /** Reads from the socket and puts MQTT bytes into {@code mqtt} (write mode) as room allows; -1 at the end. */
    public abstract int read(SocketChannel channel, ByteBuffer mqtt) throws IOException;

    /** True when MQTT bytes wait inside the wire because {@code mqtt} was full. */
    public abstract boolean hasBufferedInput();

    /**
     * Takes the MQTT bytes of {@code mqtt} (read mode) and writes what the socket takes; while
     * bytes from before still wait for the socket it takes none, so a full socket holds the
     * client back exactly as over plain TCP.
     */
    public abstract void write(SocketChannel channel, ByteBuffer mqtt) throws IOException;

    /** True when bytes wait for the socket to take them. */
    public abstract boolean hasPendingOutput();

    /** Layers bottom (socket side) first. */
    private static final class Layered extends Wire {
        private final List<Layer> layers;
        /** ups.get(i): what layer i handed upwards, waiting for layer i+1 (the last: MQTT bytes). */
        private final Bytes[] ups;
        /** downs[i]: what layer i has for the layer below it (downs[0]: for the socket). */
        private final Bytes[] downs;
        private final Bytes raw = new Bytes(32 * 1024);
        private final Bytes plainOut = new Bytes(4 * 1024);

        Layered(final List<Layer> layers) {
            this.layers = layers;
            this.ups = new Bytes[layers.size()];
            this.downs = new Bytes[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                ups[i] = new Bytes(4 * 1024);
                downs[i] = new Bytes(4 * 1024);
            }
        }

        @Override
        public void start(final SocketChannel channel) throws IOException {
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).start(downs[i]);
            }
            flushDown(channel);
        }

        @Override
        public int read(final SocketChannel channel, final ByteBuffer mqtt) throws IOException {
            final ByteBuffer into = raw.write(16 * 1024);
            final int n = channel.read(into);
            raw.written();
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).decode(i == 0 ? raw : ups[i - 1], ups[i], downs[i]);
            }
            flushDown(channel);
            final int moved = drainInto(mqtt);
            if (n < 0 || layers.stream().anyMatch(Layer::ended)) {
                return moved > 0 ? moved : -1;
            }
            return moved;
        }

        private int drainInto(final ByteBuffer mqtt) {
            final ByteBuffer ready = ups[ups.length - 1].read();
            final int n = Math.min(ready.remaining(), mqtt.remaining());
            final int limit = ready.limit();
            ready.limit(ready.position() + n);
            mqtt.put(ready);
            ready.limit(limit);
            return n;
        }

        @Override
        public boolean hasBufferedInput() {
            return !ups[ups.length - 1].isEmpty();
        }

        @Override
        public void write(final SocketChannel channel, final ByteBuffer mqtt) throws IOException {
            flushDown(channel);
            if (!downs[0].isEmpty()) {
                return;   // the socket is full: MQTT bytes wait in the client's own buffer, as over plain TCP
            }
            plainOut.add(mqtt);
            flushDown(channel);
        }

        /** Moves bytes down through every layer as far as each can take them, then to the socket. */
        private void flushDown(final SocketChannel channel) throws IOException {
            final int top = layers.size() - 1;
            layers.get(top).encode(plainOut, downs[top]);
            for (int i = top; i > 0; i--) {
                layers.get(i - 1).encode(downs[i], downs[i - 1]);
            }
            if (!downs[0].isEmpty()) {
                channel.write(downs[0].read());
            }
        }

        @Override
        public boolean hasPendingOutput() {
            // bytes held back for a handshake leave with the read that completes it, not on OP_WRITE
            return !downs[0].isEmpty();
        }
    }
}
