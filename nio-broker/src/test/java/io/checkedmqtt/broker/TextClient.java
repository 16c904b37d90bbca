package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A blocking test client for {@link TextPackets}: it opens with a CONNECT (on the first
 * {@link #send}, or {@link #connect} by hand), then sends and receives text as PUBLISH packets.
 */
final class TextClient implements AutoCloseable {

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final MqttDecoder decoder = new MqttDecoder(268_435_460);
    private boolean connected;

    TextClient(int port) throws IOException {
        this(port, 0);
    }

    /** {@code receiveBuffer} > 0 sets SO_RCVBUF before connecting, so the TCP window starts small. */
    TextClient(int port, int receiveBuffer) throws IOException {
        this(open(port, receiveBuffer));
    }

    private TextClient(Socket socket) throws IOException {
        this(socket, socket.getInputStream(), socket.getOutputStream());
    }

    /** A client whose bytes pass through {@code in} and {@code out}: the client side of a test transport. */
    TextClient(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(in));
        this.out = out;
    }

    static Socket open(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Sends the CONNECT that makes the scripted core attach the connection. */
    void connect() throws IOException {
        connected = true;
        write(TextPackets.connectFrame("text"));
    }

    void send(String text) throws IOException {
        if (!connected) {
            connect();
        }
        write(TextPackets.frame(text));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The text of the next PUBLISH from the broker. */
    String receive() throws IOException {
        return TextPackets.textOf(receivePacket(TextPackets.VERSION));
    }

    /** The next packet from the broker, decoded as {@code version}. */
    Packet receivePacket(ProtocolVersion version) throws IOException {
        byte[] header = new byte[5];
        header[0] = (byte) in.readUnsignedByte();
        int length = 0;
        int used = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            header[used] = (byte) digit;
            length |= (digit & 0x7F) << (7 * (used - 1));
            used++;
        } while ((digit & 0x80) != 0);
        ByteBuffer frame = ByteBuffer.allocate(used + length);
        frame.put(header, 0, used);
        in.readFully(frame.array(), used, length);
        DecodeResult result = decoder.decode(frame.position(0), version);
        if (result instanceof DecodeResult.Decoded decoded) {
            return decoded.packet();
        }
        throw new IOException("broker sent bytes that are not a " + version + " packet: " + result);
    }

    /** The next {@code count} bytes from the broker as ASCII, whatever they are. */
    String receiveBytes(int count) throws IOException {
        byte[] bytes = new byte[count];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** True when the broker closed the socket (EOF or reset) within the read timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
