package io.checkedmqtt.broker.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP forwarder with a port that stays while the broker behind it is killed and started again
 * on another one: clients keep one address, and each new connection goes to the broker that runs
 * now. When the broker dies its sockets close, and the forwarder closes the client's side too.
 */
final class RestartProxy implements AutoCloseable {

    private final ServerSocket listener;
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

    /** New connections go to the broker on this port from now on; 0 while none runs. */
    void target(int port) {
        brokerPort = port;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket broker = new Socket();
            try {
                if (brokerPort == 0) {
                    throw new IOException("no broker");
                }
                broker.connect(new InetSocketAddress("127.0.0.1", brokerPort), 1_000);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
            } catch (IOException e) {
                close(client);
                close(broker);
                continue;
            }
            pump(client, broker);
            pump(broker, client);
        }
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
    }
}
