package io.checkedmqtt.broker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A blocking test client for {@link FakeWire} frames. */
final class TextClient implements AutoCloseable {

    final Socket socket = new Socket();
    private final DataInputStream in;

    TextClient(int port) throws IOException {
        this(port, 0);
    }

    /** {@code receiveBuffer} > 0 sets SO_RCVBUF before connecting, so the TCP window starts small. */
    TextClient(int port, int receiveBuffer) throws IOException {
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
    }

    void send(String text) throws IOException {
        write(FakeWire.frame(text));
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    String receive() throws IOException {
        int length = in.readUnsignedShort();
        byte[] body = new byte[length];
        in.readFully(body);
        return new String(body, StandardCharsets.UTF_8);
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
