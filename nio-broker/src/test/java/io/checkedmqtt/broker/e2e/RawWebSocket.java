package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A WebSocket client that writes frames by hand (masked or not, any opcode), over TCP or TLS, so
 * tests can send what no real client would; it reads the broker's frames and HTTP answers raw.
 */
final class RawWebSocket implements AutoCloseable {

    /** One frame from the broker. */
    record Frame(int opcode, byte[] payload) {
        int closeStatus() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    static final int BINARY = 0x2;
    static final int TEXT = 0x1;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    final Socket socket;
    private final DataInputStream in;
    private final Random random = new Random(7);

    /** Connects over TCP, or over TLS when {@code tls} is not null. */
    RawWebSocket(int port, SSLContext tls) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        plain.setSoTimeout(5_000);
        if (tls != null) {
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
            secure.startHandshake();
            socket = secure;
        } else {
            socket = plain;
        }
        in = new DataInputStream(socket.getInputStream());
    }

    static String request(String path, String subprotocols) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (subprotocols == null ? "" : "Sec-WebSocket-Protocol: " + subprotocols + "\r\n") + "\r\n";
    }

    /** Sends a request and returns the response head (status line and headers). */
    String http(String request) throws IOException {
        write(request.getBytes(StandardCharsets.ISO_8859_1));
        return readHead();
    }

    /** Upgrades at {@code /mqtt} offering {@code mqtt}; fails unless the answer is 101. */
    RawWebSocket upgrade() throws IOException {
        String head = http(request("/mqtt", "mqtt"));
        if (!head.startsWith("HTTP/1.1 101 ")) {
            throw new IOException("upgrade refused: " + head);
        }
        return this;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed inside the response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void frame(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        }
        byte[] key = new byte[4];
        random.nextBytes(key);
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        write(out.toByteArray());
    }

    void binary(byte[] payload) throws IOException {
        frame(true, BINARY, payload, true);
    }

    static byte[] encode(Packet packet, ProtocolVersion version) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, out);
        return out.array();
    }

    /** The one packet {@code bytes} hold. */
    static Packet decode(byte[] bytes, ProtocolVersion version) {
        DecodeResult result = new MqttDecoder(268_435_460).decode(java.nio.ByteBuffer.wrap(bytes), version);
        if (result instanceof DecodeResult.Decoded decoded) {
            return decoded.packet();
        }
        throw new AssertionError("not one whole packet: " + result);
    }

    /** The next frame from the broker; an EOFException once the broker has closed. */
    Frame next() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        if ((second & 0x80) != 0) {
            throw new IOException("the broker masked a frame");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /** Reads until the broker closes; true when it did so within {@code millis}. */
    boolean closedWithin(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        InputStream stream = socket.getInputStream();
        byte[] sink = new byte[4096];
        try {
            while (stream.read(sink) >= 0) {
                // discard what is left: close frames, alerts
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
