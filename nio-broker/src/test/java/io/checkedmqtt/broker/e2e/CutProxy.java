package io.checkedmqtt.broker.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between a client and the broker that forwards whole MQTT frames and, when armed,
 * cuts the connection just before the n-th frame of one packet type in one direction: that frame
 * is never forwarded and both sockets are closed, so the client and the broker each see the
 * connection drop in the middle of a handshake.
 */
final class CutProxy implements AutoCloseable {

    enum Direction { CLIENT_TO_BROKER, BROKER_TO_CLIENT }

    private final ServerSocket listener;
    private final int brokerPort;
    private volatile Direction cutDirection;
    private volatile int cutType;
    private volatile int cutOccurrence;
    private final AtomicInteger seen = new AtomicInteger();
    final CountDownLatch cut = new CountDownLatch(1);

    CutProxy(int brokerPort) throws IOException {
        this.brokerPort = brokerPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptLoop, "cut-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String uri() {
        return "tcp://127.0.0.1:" + listener.getLocalPort();
    }

    /** Cut before forwarding the {@code occurrence}-th frame of {@code packetType} (1..15) going {@code direction}. */
    void armCut(Direction direction, int packetType, int occurrence) {
        seen.set(0);
        cutType = packetType;
        cutOccurrence = occurrence;
        cutDirection = direction;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress("127.0.0.1", brokerPort), 2_000);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                start(client, broker, Direction.CLIENT_TO_BROKER);
                start(broker, client, Direction.BROKER_TO_CLIENT);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void start(Socket from, Socket to, Direction direction) {
        Thread pump = new Thread(() -> pump(from, to, direction), "cut-proxy-" + direction);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump(Socket from, Socket to, Direction direction) {
        try (from; to) {
            DataInputStream in = new DataInputStream(from.getInputStream());
            OutputStream out = to.getOutputStream();
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
                frame.write(first);
                int length = 0;
                int shift = 0;
                int b;
                do {
                    b = in.readUnsignedByte();
                    frame.write(b);
                    length |= (b & 0x7F) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                byte[] body = new byte[length];
                in.readFully(body);
                frame.write(body);
                if (direction == cutDirection && (first >>> 4) == cutType
                        && seen.incrementAndGet() == cutOccurrence) {
                    cutDirection = null;
                    cut.countDown();
                    return;   // closes both sockets without forwarding this frame
                }
                out.write(frame.toByteArray());
                out.flush();
            }
        } catch (IOException e) {
            // the other pump closed the sockets, or a peer went away: the pair is done
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
