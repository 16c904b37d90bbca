package io.checkedmqtt.model.paho;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * A socket factory for one Paho client that remembers the socket it made last, so a test can
 * close it under the client: a connection cut the client did not ask for.
 */
final class CuttableSockets extends SocketFactory {

    private volatile Socket last;

    private Socket remember(Socket s) {
        last = s;
        return s;
    }

    /** Close the client's current socket; true if there was an open one. */
    boolean cut() {
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
