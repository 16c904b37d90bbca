package io.checkedmqtt.testkit.paho;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;

/**
 * A socket factory for one Paho client that remembers the socket it made last, so a test can
 * close it under the client: a connection cut the client did not ask for.
 */
public final class CuttableSockets extends SocketFactory {

    private volatile Socket last;

    private Socket remember(Socket s) {
        last = s;
        return s;
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
        return remember(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return remember(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return remember(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return remember(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return remember(new Socket(address, port, localAddress, localPort));
    }
}
