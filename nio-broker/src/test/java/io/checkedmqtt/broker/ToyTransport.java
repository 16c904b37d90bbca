package io.checkedmqtt.broker;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A transport for testing the seam, with what real ones have: a handshake the client opens with
 * ({@code HI!\n}, answered {@code OK!\n} from inside {@code read}), every byte after it changed
 * on the way in and out (XOR {@link #KEY}), input handed on at most {@code handOut} bytes per
 * read (so the loop must come back for buffered input), an output buffer of its own that a full
 * socket leaves pending, and a goodbye ({@code BYE\n}, changed like the rest) on
 * {@link #closeOutput}. With a {@code trickle}, each write puts at most that many bytes on the
 * socket, as if it were nearly full: the rest stays pending until OP_WRITE, the way a TLS record
 * the socket took only part of does.
 */
final class ToyTransport implements Transport {

    static final byte[] HELLO = "HI!\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] WELCOME = "OK!\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] GOODBYE = "BYE\n".getBytes(StandardCharsets.US_ASCII);
    static final int KEY = 0x5A;
    /** A handshake byte the toy fails on with a RuntimeException, as a transport with a bug would. */
    static final byte BUG = '?';

    private final int handOut;
    private final int trickle;
    /** Socket bytes not handed on yet, in write mode. */
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    /** Bytes for the socket, in write mode. */
    private final ByteBuffer pending = ByteBuffer.allocate(16 * 1024);
    private int helloSeen;

    ToyTransport(int handOut, int trickle) {
        this.handOut = handOut;
        this.trickle = trickle;
    }

    static Transport.Factory factory(int handOut, int trickle) {
        return socket -> new ToyTransport(handOut, trickle);
    }

    @Override
    public int read(ReadableByteChannel socket, ByteBuffer mqtt) throws IOException {
        int fromSocket = socket.read(in);
        in.flip();
        while (helloSeen < HELLO.length && in.hasRemaining()) {
            byte b = in.get();
            if (b == BUG) {
                throw new IllegalStateException("the toy's bug");
            }
            if (b != HELLO[helloSeen++]) {
                throw new IOException("not a toy handshake");
            }
            if (helloSeen == HELLO.length) {
                pending.put(WELCOME);
            }
        }
        int count = 0;
        while (in.hasRemaining() && mqtt.hasRemaining() && count < handOut) {
            mqtt.put((byte) (in.get() ^ KEY));
            count++;
        }
        in.compact();
        return count == 0 && fromSocket < 0 ? END_OF_STREAM : count;
    }

    @Override
    public boolean hasBufferedInput() {
        return helloSeen == HELLO.length && in.position() > 0;
    }

    @Override
    public long write(GatheringByteChannel socket, ByteBuffer[] mqtt, int offset, int length) throws IOException {
        long consumed = 0;
        while (true) {
            if (pending.position() > 0) {
                pending.flip();
                int end = pending.limit();
                pending.limit((int) Math.min(end, (long) pending.position() + trickle));
                socket.write(pending);
                pending.limit(end);
                pending.compact();
                if (pending.position() > 0) {
                    return consumed;   // the socket is full
                }
            }
            long before = consumed;
            // room for the goodbye stays free: closeOutput may come while this buffer is full
            for (int i = offset; i < offset + length && pending.remaining() > GOODBYE.length; i++) {
                while (mqtt[i].hasRemaining() && pending.remaining() > GOODBYE.length) {
                    pending.put((byte) (mqtt[i].get() ^ KEY));
                    consumed++;
                }
            }
            if (consumed == before) {
                return consumed;
            }
        }
    }

    @Override
    public boolean hasPendingOutput() {
        return pending.position() > 0;
    }

    @Override
    public void closeOutput() {
        for (byte b : GOODBYE) {
            pending.put((byte) (b ^ KEY));
        }
    }

    /** The client's side of the byte change, for reading. */
    static InputStream clientIn(InputStream raw) {
        return new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                return b < 0 ? b : (b ^ KEY) & 0xFF;
            }

            @Override
            public int read(byte[] into, int off, int len) throws IOException {
                int n = super.read(into, off, len);
                for (int i = off; i < off + n; i++) {
                    into[i] ^= KEY;
                }
                return n;
            }
        };
    }

    /** The client's side of the byte change, for writing. */
    static OutputStream clientOut(OutputStream raw) {
        return new FilterOutputStream(raw) {
            @Override
            public void write(int b) throws IOException {
                out.write(b ^ KEY);
            }

            @Override
            public void write(byte[] from, int off, int len) throws IOException {
                byte[] changed = new byte[len];
                for (int i = 0; i < len; i++) {
                    changed[i] = (byte) (from[off + i] ^ KEY);
                }
                out.write(changed);
            }
        };
    }
}
