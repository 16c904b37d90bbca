package io.checkedmqtt.bench.load.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of MQTT over WebSocket for the load tool: the upgrade request with subprotocol
 * {@code mqtt}, masked binary frames out (one per flush), the broker's frames in.
 */
final class WebSocketLayer implements Layer {

    private final String host;
    private final String path;
    private boolean upgraded;
    private boolean ended;
    /** Header bytes of the broker frame being read, and how much of its payload is left. */
    private final byte[] header = new byte[10];
    private int headerBytes;
    private long payloadLeft;
    private int opcode;

    WebSocketLayer(final String host, final String path) {
        this.host = host;
        this.path = path;
    }

    @Override
    public void start(final Bytes down) {
        final byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        final String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
        down.add(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Override
    public void decode(final Bytes from, final Bytes up, final Bytes down) throws IOException {
        final ByteBuffer in = from.read();
        if (!upgraded && !readResponse(in)) {
            return;
        }
        while (in.hasRemaining() && !ended) {
            if (payloadLeft == 0 && !readHeader(in)) {
                return;
            }
            final int n = (int) Math.min(payloadLeft, in.remaining());
            final int limit = in.limit();
            in.limit(in.position() + n);
            if (opcode == 0x2 || opcode == 0x0) {
                up.add(in);
            } else {
                in.position(in.limit());   // pongs and close payloads: not needed
            }
            in.limit(limit);
            payloadLeft -= n;
        }
    }

    /** Consumes the 101 response once it is all there; false while it is still arriving. */
    private boolean readResponse(final ByteBuffer in) throws IOException {
        for (int i = in.position(); i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                final byte[] head = new byte[i - in.position()];
                in.get(head);
                in.position(i + 4);
                final String text = new String(head, StandardCharsets.ISO_8859_1);
                if (!text.startsWith("HTTP/1.1 101")) {
                    throw new IOException("WebSocket upgrade refused: " + text.lines().findFirst().orElse(""));
                }
                upgraded = true;
                return true;
            }
        }
        return false;
    }

    private boolean readHeader(final ByteBuffer in) {
        while (in.hasRemaining()) {
            header[headerBytes++] = in.get();
            if (headerBytes < 2) {
                continue;
            }
            final int length7 = header[1] & 0x7F;
            final int needed = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
            if (headerBytes < needed) {
                continue;
            }
            long length = length7;
            if (length7 == 126) {
                length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            } else if (length7 == 127) {
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (header[i] & 0xFF);
                }
            }
            opcode = header[0] & 0x0F;
            ended = opcode == 0x8;
            payloadLeft = length;
            headerBytes = 0;
            return true;
        }
        return false;
    }

    @Override
    public void encode(final Bytes from, final Bytes down) {
        final ByteBuffer in = from.read();
        if (!upgraded || !in.hasRemaining()) {
            return;
        }
        final int length = in.remaining();
        final ByteBuffer out = down.write(length + 14);
        out.put((byte) 0x82);
        if (length < 126) {
            out.put((byte) (0x80 | length));
        } else if (length < 65_536) {
            out.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            out.put((byte) (0x80 | 127)).putLong(length);
        }
        final int mask = ThreadLocalRandom.current().nextInt();
        out.putInt(mask);
        final long wide = ((long) mask << 32) | (mask & 0xFFFFFFFFL);
        while (in.remaining() >= 8) {
            out.putLong(in.getLong() ^ wide);
        }
        int shift = 24;
        while (in.hasRemaining()) {
            out.put((byte) (in.get() ^ (mask >>> shift)));
            shift -= 8;
        }
        down.written();
    }

    @Override
    public boolean ended() {
        return ended;
    }
}
