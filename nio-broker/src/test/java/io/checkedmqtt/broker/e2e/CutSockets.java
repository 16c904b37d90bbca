package io.checkedmqtt.broker.e2e;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/** A socket factory that keeps the last socket it made, so a test can close it under its Paho client. */
final class CutSockets extends SocketFactory {

    private volatile Socket last;

    /** Closes the client's socket: a connection lost without a DISCONNECT. */
    void cut() throws IOException {
        Socket s = last;
        if (s != null) {
            s.close();
        }
    }

    private Socket keep(Socket s) {
        last = s;
        return s;
    }

    @Override
    public Socket createSocket() {
        return keep(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return keep(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
        return keep(new Socket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return keep(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
        return keep(new Socket(host, port, local, localPort));
    }
}
