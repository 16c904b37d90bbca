package io.checkedmqtt.broker.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP forwarder with a port that stays while the broker behind it is killed and started again
 * on another one: clients keep one address, and each new connection goes to the broker that runs
 * now. When the broker dies its sockets close, and the forwarder closes the client's side too.
 *
 * <p>A client that connects while no broker runs waits, accepted, until one does, as behind a
 * broker that is slow to start. Closing it at once instead would be a connection that ends right
 * after it opened, which Paho 1.2.5 does not survive: its connect thread waits for a receiver that
 * has already stopped and sleeps in a loop for ever (CommsReceiver.start), one leaked thread per
 * attempt, thousands over a run of kills.
 */
final class RestartProxy implements AutoCloseable {

    private final ServerSocket listener;
    /** Accepted clients waiting for a broker; guarded by itself. */
    private final List<Socket> waiting = new ArrayList<>();
    private volatile int brokerPort;

    RestartProxy() throws IOException {
        listener = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptLoop, "restart-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String uri() {
        return "tcp://127.0.0.1:" + listener.getLocalPort();
    }

    /** New connections go to the broker on this port from now on; 0 while none runs. Waiting clients go to it now. */
    void target(int port) {
        brokerPort = port;
        if (port == 0) {
            return;
        }
        List<Socket> ready;
        synchronized (waiting) {
            ready = new ArrayList<>(waiting);
            waiting.clear();
        }
        ready.forEach(this::forward);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                forward(listener.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Joins the client to the broker that runs now, or lets it wait for the next one. */
    private void forward(Socket client) {
        int port = brokerPort;
        Socket broker = new Socket();
        try {
            if (port == 0) {
                throw new IOException("no broker");
            }
            broker.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            client.setTcpNoDelay(true);
            broker.setTcpNoDelay(true);
        } catch (IOException e) {
            close(broker);
            synchronized (waiting) {
                waiting.add(client);
            }
            if (brokerPort != 0 && brokerPort != port) {
                target(brokerPort);   // a broker came up meanwhile: do not wait for the next one
            }
            return;
        }
        pump(client, broker);
        pump(broker, client);
    }

    private static void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side went away: close both below
            } finally {
                close(from);
                close(to);
            }
        }, "restart-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (waiting) {
            waiting.forEach(RestartProxy::close);
            waiting.clear();
        }
    }
}
