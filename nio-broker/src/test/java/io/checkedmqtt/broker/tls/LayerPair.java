package io.checkedmqtt.broker.tls;

import io.checkedmqtt.broker.layer.StreamLayer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Two layers joined back to back in memory, no socket: what one puts in its outbound bytes the
 * other receives, cut into pieces of random size (down to one byte) so records and frames arrive
 * split at every possible point. What each hands upwards is collected.
 */
final class LayerPair {

    final StreamLayer client;
    final StreamLayer server;
    final ByteArrayOutputStream clientGot = new ByteArrayOutputStream();
    final ByteArrayOutputStream serverGot = new ByteArrayOutputStream();
    private final Random random;
    private final int maxPiece;

    LayerPair(StreamLayer client, StreamLayer server, long seed, int maxPiece) {
        this.client = client;
        this.server = server;
        this.random = new Random(seed);
        this.maxPiece = maxPiece;
    }

    /** Moves bytes both ways until neither side has anything more to say. */
    void pump() {
        for (int rounds = 0; rounds < 10_000; rounds++) {
            boolean moved = move(client, server, serverGot) | move(server, client, clientGot);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the layers kept talking for 10,000 rounds");
    }

    private boolean move(StreamLayer from, StreamLayer to, ByteArrayOutputStream got) {
        ByteBuffer pending = from.outbound().bytes();
        if (!pending.hasRemaining()) {
            return false;
        }
        while (pending.hasRemaining()) {
            int n = Math.min(pending.remaining(), 1 + random.nextInt(maxPiece));
            ByteBuffer piece = ByteBuffer.allocate(n);
            for (int i = 0; i < n; i++) {
                piece.put(pending.get());
            }
            piece.flip();
            ByteBuffer up = to.receive(piece);
            byte[] bytes = new byte[up.remaining()];
            up.get(bytes);
            got.writeBytes(bytes);
        }
        return true;
    }

    static void send(StreamLayer layer, byte[] bytes) {
        layer.send(new ByteBuffer[] {ByteBuffer.wrap(bytes)}, 0, 1);
    }
}
