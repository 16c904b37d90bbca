package io.checkedmqtt.testkit.paho;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;

/**
 * A socket factory for one Paho client that remembers the socket it made last, so a test can
 * close it under the client: a connection cut the client did not ask for. It also counts what the
 * client wrote on that socket, so a test can tell a connect the client never sent from one the
 * broker did not answer.
 */
public final class CuttableSockets extends SocketFactory {

    private volatile CountingSocket last;

    private Socket remember(CountingSocket s) {
        last = s;
        return s;
    }

    /** Whether the client wrote nothing at all on the socket it made last (true if it made none). */
    public boolean lastWroteNothing() {
        CountingSocket s = last;
        return s == null || s.written == 0;
    }

    /** Close the client's current socket; true if there was an open one. */
    public boolean cut() {
        Socket s = last;
        if (s == null || s.isClosed()) {
            return false;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already broken: the cut happened anyway
        }
        return true;
    }

    /** Cut, then wait (up to a second) until the client says it is no longer connected. */
    public void cutAndAwait(BooleanSupplier connected) throws InterruptedException {
        cut();
        for (int i = 0; i < 200 && connected.getAsBoolean(); i++) {
            Thread.sleep(5);
        }
    }

    @Override
    public Socket createSocket() {
        return remember(new CountingSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return remember(new CountingSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return remember(new CountingSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return remember(new CountingSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return remember(new CountingSocket(address, port, localAddress, localPort));
    }

    /** A plain socket that counts the bytes written to it. */
    private static final class CountingSocket extends Socket {
        volatile long written;

        CountingSocket() {
        }

        CountingSocket(String host, int port) throws IOException {
            super(host, port);
        }

        CountingSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            super(host, port, localHost, localPort);
        }

        CountingSocket(InetAddress host, int port) throws IOException {
            super(host, port);
        }

        CountingSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            super(address, port, localAddress, localPort);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    written++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    written += len;
                }
            };
        }
    }
}
