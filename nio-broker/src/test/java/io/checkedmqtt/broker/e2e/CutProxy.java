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
 * connection drop in the middle of a handshake. It also keeps every frame it forwarded to the
 * client, so a test can see what the broker put on the wire.
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
    /** The clients speak 5.0, whose PUBLISH carries properties between packet identifier and payload. */
    private volatile boolean v5;
    /** Payloads of the QoS 2 PUBLISHes forwarded to the client, by packet identifier (the latest copy). */
    private final java.util.Map<Integer, String> qos2PayloadById = new java.util.concurrent.ConcurrentHashMap<>();
    /** Payloads whose QoS 2 PUBLISH the client answered with PUBREC: from then on the message is the client's. */
    private final java.util.Set<String> pubrecedPayloads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Every frame forwarded from the broker to the client, in order, over all connections. */
    private final java.util.List<byte[]> framesToClient = new java.util.concurrent.CopyOnWriteArrayList<>();

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

    /** Decode PUBLISH frames as MQTT 5.0 (with properties) rather than 3.1.1. */
    void speaks(boolean mqtt5) {
        v5 = mqtt5;
    }

    /** Payloads of QoS 2 messages the client acknowledged with PUBREC, in any connection through this proxy. */
    java.util.Set<String> pubrecedPayloads() {
        return java.util.Set.copyOf(pubrecedPayloads);
    }

    /** The frames forwarded from the broker to the client so far, whole and in order. */
    java.util.List<byte[]> framesToClient() {
        return java.util.List.copyOf(framesToClient);
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
                record(direction, first, body);
                if (direction == Direction.BROKER_TO_CLIENT) {
                    framesToClient.add(frame.toByteArray());
                }
                out.write(frame.toByteArray());
                out.flush();
            }
        } catch (IOException e) {
            // the other pump closed the sockets, or a peer went away: the pair is done
        }
    }

    /** Notes QoS 2 PUBLISHes going to the client and the PUBRECs coming back. */
    private void record(Direction direction, int first, byte[] body) {
        int type = first >>> 4;
        if (direction == Direction.BROKER_TO_CLIENT && type == 3 && ((first >>> 1) & 3) == 2) {
            int at = 2 + (((body[0] & 0xFF) << 8) | (body[1] & 0xFF));   // past the topic name
            int packetId = ((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF);
            at += 2;
            if (v5) {   // skip the properties: a variable byte integer length, then that many bytes
                int length = 0;
                int shift = 0;
                int b;
                do {
                    b = body[at++] & 0xFF;
                    length |= (b & 0x7F) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                at += length;
            }
            qos2PayloadById.put(packetId, new String(body, at, body.length - at, java.nio.charset.StandardCharsets.UTF_8));
        } else if (direction == Direction.CLIENT_TO_BROKER && type == 5) {
            String payload = qos2PayloadById.get(((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
            if (payload != null) {
                pubrecedPayloads.add(payload);
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
