package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A client that speaks bytes: well-formed packets through protocol-core's codec, or any bytes at
 * all, so tests can send what no real client would. Reads block with a timeout.
 */
public final class RawClient implements AutoCloseable {

    public final Socket socket;
    private final InputStream in;
    private final MqttDecoder decoder = new MqttDecoder(268_435_460);
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
    public ProtocolVersion version;

    public RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** {@code receiveBuffer} > 0 sets SO_RCVBUF before connecting, so the TCP window stays small. */
    public RawClient(int port, int receiveBuffer) throws IOException {
        this(port, receiveBuffer, null);
    }

    /** As {@link #RawClient(int, int)}, over TLS when {@code tls} is not null (the broker's name checked as HTTPS does). */
    RawClient(int port, int receiveBuffer, javax.net.ssl.SSLContext tls) throws IOException {
        Socket plain = new Socket();
        if (receiveBuffer > 0) {
            plain.setReceiveBufferSize(receiveBuffer);
        }
        plain.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        plain.setSoTimeout(5_000);
        plain.setTcpNoDelay(true);
        if (tls == null) {
            socket = plain;
        } else {
            javax.net.ssl.SSLSocket secure = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                    .createSocket(plain, "localhost", port, true);
            javax.net.ssl.SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            socket = secure;
        }
        in = socket.getInputStream();
    }

    public static Connect connect(ProtocolVersion version, String clientId, int keepAlive, Properties properties) {
        return new Connect(version, clientId, true, keepAlive, null, null, null, properties);
    }

    /** Sends CONNECT and returns the CONNACK. */
    public Connack handshake(ProtocolVersion v, String clientId, int keepAlive, Properties properties) throws IOException {
        send(connect(v, clientId, keepAlive, properties));
        return (Connack) receive();
    }

    public Connack handshake(ProtocolVersion v, String clientId) throws IOException {
        return handshake(v, clientId, 0, Properties.EMPTY);
    }

    public void subscribe(int packetId, String filter, QoS qos) throws IOException {
        send(new Subscribe(packetId, List.of(new Subscription(filter, SubscriptionOptions.of(qos))), Properties.EMPTY));
        receive();   // SUBACK
    }

    public void send(Packet packet) throws IOException {
        if (packet instanceof Connect c) {
            version = c.version();
        }
        write(encode(packet, version == null ? ProtocolVersion.MQTT_3_1_1 : version));
    }

    /** The wire form of one packet. */
    public static byte[] encode(Packet packet, ProtocolVersion version) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, out);
        return out.array();
    }

    public void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next packet from the broker; throws SocketTimeoutException after the read timeout. */
    public Packet receive() throws IOException {
        while (true) {
            DecodeResult result = decoder.decode(buffer, version);
            if (result instanceof DecodeResult.Decoded decoded) {
                return decoded.packet();
            }
            if (result instanceof DecodeResult.DecodeError error) {
                throw new IOException("broker sent bad bytes: " + error);
            }
            byte[] chunk = new byte[64 * 1024];
            int n = in.read(chunk);
            if (n < 0) {
                throw new java.io.EOFException("closed by broker");
            }
            append(chunk, n);
        }
    }

    /**
     * Adds bytes after the undecoded ones: in place while the buffer has room, else in one twice as
     * large (so a large packet costs linear time). Bytes already decoded are never written over:
     * a decoded packet may still refer to them.
     */
    private void append(byte[] chunk, int n) {
        if (buffer.capacity() - buffer.limit() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(2 * (buffer.remaining() + n));
            bigger.put(buffer).flip();
            buffer = bigger;
        }
        int start = buffer.position();
        int end = buffer.limit();
        buffer.limit(end + n).position(end);
        buffer.put(chunk, 0, n);
        buffer.position(start);
    }

    /** The next packet within {@code millis}, or null when none came (the connection stays usable). */
    public Packet poll(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return receive();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(5_000);
        }
    }

    /**
     * Reads until the broker closes the connection; returns the packets it sent before closing.
     * Fails if the connection is still open after {@code millis}.
     */
    public List<Packet> awaitClose(int millis) throws IOException {
        java.util.ArrayList<Packet> before = new java.util.ArrayList<>();
        socket.setSoTimeout(millis);
        try {
            while (true) {
                before.add(receive());
            }
        } catch (java.io.EOFException | SocketException closed) {
            return before;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after " + millis + " ms; got " + before);
        }
    }

    public static Properties props(PropertyId id, long value) {
        return Properties.EMPTY.withInteger(id, value);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
