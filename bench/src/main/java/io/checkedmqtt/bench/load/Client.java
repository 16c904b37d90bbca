package io.checkedmqtt.bench.load;

import io.checkedmqtt.bench.load.wire.Wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One MQTT client connection of the load tool: a non-blocking channel, a read buffer parsed in
 * place, and an output buffer that packets are encoded into and flushed once per loop pass.
 * The client answers the broker's QoS handshakes itself (PUBACK, PUBREC/PUBCOMP, PUBREL) and
 * reports everything else to its {@link ClientListener}.
 */
final class Client {
    enum State { CONNECTING, AWAIT_CONNACK, CONNECTED, CLOSED }

    private static final int MAX_FRAME = 268_435_460;

    final int index;
    final String clientId;
    final MqttVersion version;
    private final ClientListener listener;
    private final Frame frame = new Frame();
    private final MqttDecoder.PublishView view = new MqttDecoder.PublishView();
    private final MqttDecoder.ReceivedProperties connackProperties = new MqttDecoder.ReceivedProperties();
    /** TLS or WebSocket between the MQTT buffers and the socket; null for plain TCP. */
    private final Wire wire;
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer in;
    private ByteBuffer out;
    State state = State.CONNECTING;
    boolean closing;
    boolean queuedForFlush;
    long lastSendNanos;

    // Publisher side: packet identifiers of unacknowledged QoS 1/2 PUBLISHes.
    private boolean[] idInUse; // allocated for publishers only: conn runs hold thousands of clients
    private int nextPacketId = 1;
    int inflight;
    int receiveMaximum = 65_535;
    // Bookkeeping owned by the run that created the client.
    /** Negative for a subscriber, positive for a publisher, 0 for a bare connection. */
    int role;
    /** The topic a publisher publishes to, as UTF-8. */
    byte[] topic;
    /** PUBLISHes encoded so far; the next sequence number. */
    long sent;

    Client(final int index, final String clientId, final MqttVersion version, final int bufferSize, final ClientListener listener) {
        this(index, clientId, version, bufferSize, listener, null);
    }

    Client(final int index, final String clientId, final MqttVersion version, final int bufferSize,
           final ClientListener listener, final Wire wire) {
        this.wire = wire;
        this.index = index;
        this.clientId = clientId;
        this.version = version;
        this.listener = listener;
        this.in = ByteBuffer.allocateDirect(bufferSize);
        this.out = ByteBuffer.allocateDirect(bufferSize);
    }

    /** Starts a non-blocking connect, from {@code source} unless it is null; returns true when it completed at once. */
    boolean open(final Selector selector, final InetSocketAddress address, final InetSocketAddress source)
            throws IOException {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        if (source != null) {
            channel.bind(source);
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        // Over loopback the kernel runs the whole handshake inside connect(), which still reports
        // "in progress": asking once more saves a select() round and an interest change per client.
        final boolean done = channel.connect(address) || channel.finishConnect();
        key = channel.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
        if (done && wire != null) {
            wire.start(channel);
        }
        return done;
    }

    /** Completes the TCP connect (after OP_CONNECT); throws when it failed. */
    void finishConnect() throws IOException {
        if (channel.finishConnect()) {
            key.interestOps(SelectionKey.OP_READ);
            if (wire != null) {
                wire.start(channel);
            }
        }
    }

    boolean tcpConnected() {
        return channel != null && channel.isConnected();
    }

    void sendConnect(final int keepAliveSeconds, final Credentials credentials, final long sessionExpiry) {
        reserve(MqttEncoder.connectLength(version, clientId, credentials, sessionExpiry));
        MqttEncoder.connect(out, version, clientId, keepAliveSeconds, credentials, sessionExpiry);
        state = State.AWAIT_CONNACK;
    }

    void sendSubscribe(final String filter, final int qos) {
        reserve(MqttEncoder.subscribeLength(version, filter));
        MqttEncoder.subscribe(out, version, 1, filter, qos);
    }

    void sendPing() {
        reserve(MqttEncoder.PINGREQ_LENGTH);
        MqttEncoder.pingReq(out);
    }

    void sendDisconnect() {
        reserve(MqttEncoder.DISCONNECT_LENGTH);
        MqttEncoder.disconnect(out);
        closing = true;
    }

    /** Whether a QoS 1/2 PUBLISH may go now: within the tool's and the broker's in-flight limits. */
    boolean mayPublish(final int qos, final int inflightLimit) {
        return qos == 0 || inflight < Math.min(inflightLimit, receiveMaximum);
    }

    /** Room for one more PUBLISH of {@code length} bytes without waiting for the socket. */
    boolean hasRoomFor(final int length) {
        if (out.remaining() >= length) {
            return true;
        }
        if (out.position() == 0) {
            grow(length); // a single packet larger than the buffer
            return true;
        }
        return false;
    }

    /** Encodes one PUBLISH carrying a {@link Payload}; the caller checked {@link #hasRoomFor}. */
    void publish(final int qos, final int payloadSize, final int publisherId, final long sequence, final long sendNanos) {
        int packetId = 0;
        if (qos > 0) {
            packetId = allocatePacketId();
            inflight++;
        }
        MqttEncoder.publishHeader(out, version, qos, packetId, topic, payloadSize);
        Payload.write(out, payloadSize, publisherId, sequence, sendNanos);
    }

    private int allocatePacketId() {
        if (idInUse == null) {
            idInUse = new boolean[65_536];
        }
        for (int tries = 0; tries < 65_535; tries++) {
            final int id = nextPacketId;
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
            if (!idInUse[id]) {
                idInUse[id] = true;
                return id;
            }
        }
        throw new IllegalStateException("no free packet identifier");
    }

    /** Makes room for {@code length} bytes: flushes, and grows the buffer when the socket is full. */
    private void reserve(final int length) {
        if (out.remaining() >= length) {
            return;
        }
        flush();
        if (out.remaining() < length) {
            grow(length);
        }
    }

    private void grow(final int length) {
        final ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(out.capacity() * 2, out.position() + length));
        out.flip();
        bigger.put(out);
        out = bigger;
    }

    boolean hasPendingOutput() {
        return out.position() > 0 || (wire != null && wire.hasPendingOutput());
    }

    /** Writes what the socket takes; asks for OP_WRITE when something is left. */
    void flush() {
        if (state == State.CLOSED || (out.position() == 0 && (wire == null || !wire.hasPendingOutput()))
                || !channel.isConnected()) {
            return;
        }
        out.flip();
        try {
            if (wire == null) {
                channel.write(out);
            } else {
                wire.write(channel, out);
            }
        } catch (IOException e) {
            out.clear();
            close(closing);
            return;
        }
        out.compact();
        lastSendNanos = System.nanoTime();
        final int ops = key.interestOps();
        final boolean pending = out.position() > 0 || (wire != null && wire.hasPendingOutput());
        final int wanted = pending ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }

    /** Reads what is there and handles every complete packet; returns false when the connection ended. */
    boolean read(final long nowNanos) {
        boolean more;
        do {
            if (!readOnce(nowNanos)) {
                return false;
            }
            // a wire may hold decoded bytes the read buffer had no room for: no OP_READ will come for them
            more = wire != null && wire.hasBufferedInput();
        } while (more);
        return true;
    }

    private boolean readOnce(final long nowNanos) {
        final int n;
        try {
            n = wire == null ? channel.read(in) : wire.read(channel, in);
        } catch (IOException e) {
            if (wire != null) {
                listener.onError(this, "wire: " + e.getMessage());
            }
            close(closing);
            return false;
        }
        if (n < 0) {
            close(closing);
            return false;
        }
        in.flip();
        try {
            while (state != State.CLOSED && frame.read(in, MAX_FRAME)) {
                handle(nowNanos);
            }
        } catch (MalformedPacketException e) {
            listener.onError(this, "malformed packet from broker: " + e.getMessage());
            close(false);
            return false;
        }
        if (state == State.CLOSED) {
            return false;
        }
        final int needed = Frame.pendingFrameLength(in);
        if (needed > in.capacity()) {
            final ByteBuffer bigger = ByteBuffer.allocateDirect(needed);
            bigger.put(in);
            in = bigger;
        } else {
            in.compact();
        }
        return true;
    }

    private void handle(final long nowNanos) {
        switch (frame.type) {
            case PacketType.CONNACK -> {
                final int code = MqttDecoder.connack(in, frame, version, connackProperties);
                receiveMaximum = connackProperties.receiveMaximum;
                if (code == 0) {
                    state = State.CONNECTED;
                }
                listener.onConnack(this, code);
            }
            case PacketType.SUBACK -> listener.onSuback(this, MqttDecoder.subackWorstCode(in, frame, version));
            case PacketType.PUBLISH -> {
                MqttDecoder.publish(in, frame, version, view);
                if (view.qos == 1) {
                    reserve(MqttEncoder.ACK_LENGTH);
                    MqttEncoder.ack(out, PacketType.PUBACK, view.packetId);
                } else if (view.qos == 2) {
                    reserve(MqttEncoder.ACK_LENGTH);
                    MqttEncoder.ack(out, PacketType.PUBREC, view.packetId);
                }
                listener.onMessage(this, in, view.payloadStart, view.payloadLength, nowNanos);
            }
            case PacketType.PUBACK, PacketType.PUBCOMP -> {
                final int id = MqttDecoder.packetId(in, frame);
                checkReason(MqttDecoder.ackReason(in, frame, version), frame.type);
                completePublish(id);
            }
            case PacketType.PUBREC -> {
                final int id = MqttDecoder.packetId(in, frame);
                final int reason = MqttDecoder.ackReason(in, frame, version);
                if (reason >= 0x80) {
                    // 5.0 §4.3.3: a PUBREC with a failure reason ends the exchange; no PUBREL follows.
                    checkReason(reason, frame.type);
                    completePublish(id);
                } else {
                    reserve(MqttEncoder.ACK_LENGTH);
                    MqttEncoder.ack(out, PacketType.PUBREL, id);
                }
            }
            case PacketType.PUBREL -> {
                final int id = MqttDecoder.packetId(in, frame);
                checkReason(MqttDecoder.ackReason(in, frame, version), frame.type);
                reserve(MqttEncoder.ACK_LENGTH);
                MqttEncoder.ack(out, PacketType.PUBCOMP, id);
            }
            case PacketType.PINGRESP -> {
                // keep-alive answer: nothing to do
            }
            case PacketType.DISCONNECT -> {
                listener.onError(this, "broker sent DISCONNECT, reason 0x"
                        + Integer.toHexString(version.isV5() ? MqttDecoder.disconnectReason(in, frame) : 0));
                close(false);
            }
            default -> {
                listener.onError(this, "unexpected packet type " + frame.type);
                close(false);
            }
        }
    }

    private void checkReason(final int reason, final int type) {
        if (reason >= 0x80) {
            listener.onError(this, "packet type " + type + " with reason code 0x" + Integer.toHexString(reason));
        }
    }

    private void completePublish(final int id) {
        if (idInUse == null || !idInUse[id]) {
            listener.onError(this, "acknowledgement for unknown packet id " + id);
            return;
        }
        idInUse[id] = false;
        inflight--;
        listener.onPublishComplete(this);
    }

    /** One ready key of a {@code conn} or {@code fleet} run: a finished handshake goes to {@code greet}
     *  (a failed one to {@code failed}), then what arrived is read and answered, what waits written. */
    static void serve(final SelectionKey key, final Consumer<Client> greet, final BiConsumer<Client, String> failed) {
        final Client c = (Client) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isConnectable()) {
                c.finishConnect();
                if (c.tcpConnected()) {
                    greet.accept(c);
                }
            }
        } catch (IOException e) {
            failed.accept(c, "connect failed: " + e.getMessage());
            return;
        }
        if (key.isValid() && key.isReadable()) {
            if (c.read(System.nanoTime()) && c.hasPendingOutput()) {
                c.flush();
            }
        }
        if (key.isValid() && key.isWritable()) {
            c.flush();
        }
    }

    /** Closes the socket; SO_LINGER 0 when asked, so mass closes leave no TIME_WAIT behind. */
    void close(final boolean expected) {
        close(expected, false);
    }

    void close(final boolean expected, final boolean reset) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (channel != null) {
            try {
                if (reset && channel.isOpen()) {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        listener.onClosed(this, expected);
    }
}
