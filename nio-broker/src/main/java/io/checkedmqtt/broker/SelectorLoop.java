package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The broker's one thread. Each pass of {@link #run()}:
 * <ol>
 *   <li>selects, with a timeout that ends at the earliest deadline in {@link Timers}; while
 *       socket events come closer together than {@code busy_poll_us}, it first polls for that
 *       long ({@link BusyPoll});</li>
 *   <li>reads the clock once; that value is "now" for everything in the pass;</li>
 *   <li>accepts new sockets, finishes partial writes (OP_WRITE), reads and decodes complete
 *       frames and feeds each to the core, carrying out the returned effects in order;</li>
 *   <li>fires the timers that are due, again through the core;</li>
 *   <li>writes every connection that got packets in this pass with one gathering write each.</li>
 * </ol>
 * Carrying out an effect never touches a socket: Send only queues bytes, Close only marks the
 * connection. Sockets are written in step 5 (or on OP_WRITE), so an effect can never fail half
 * way, and a failed write reports its connection as lost to the core from one place.
 *
 * <p>Bounds: a client whose outbound queue is at {@code maxOutboundBytes} gets no more QoS 0
 * PUBLISHes (dropped and counted) and is not read from until it drains, so it cannot make the
 * broker queue replies without bound either. QoS 1/2 messages stay bounded by the core's in-flight
 * window; the rest wait in the session queue, whose bound the core keeps.
 *
 * <p>The loop never decides protocol behaviour: every packet, timeout and lost socket goes to the
 * core, and only what the core answers is done.
 */
final class SelectorLoop implements Runnable {

    /** Shell deadline: a connection the core closed has had long enough to drain its last bytes. */
    private record CloseLinger(ConnectionId connection) {
    }

    /** Shell deadline: accepting failed (file descriptors exhausted?); try again after a pause. */
    private record ResumeAccept() {
    }

    /** Shell deadline: time to look at the auth files again. */
    private record AuthCheck() {
    }

    private static final long ACCEPT_RETRY_MILLIS = 100;
    private static final int MAX_ACCEPTS_PER_PASS = 256;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final SelectionKey serverKey;
    private final CoreDriver core;
    private final WireCodec codec;
    private final Clock clock;
    private final BrokerSettings settings;
    private final BrokerLog log;
    private final BrokerStats stats;
    /** Null when no password, ACL or SCRAM file is configured. */
    private final AuthReloader authReloader;

    private final Timers<Object> timers = new Timers<>();
    private final BusyPoll busyPoll;
    private final Map<ConnectionId, Connection> connections = new HashMap<>();
    private final ArrayDeque<Connection> toFlush = new ArrayDeque<>();
    /** One read buffer for every socket: an idle connection holds no buffer of its own. */
    private final ByteBuffer readBuffer;
    /** Scratch for one gathering write, lent to each connection's queue in turn. */
    private final ByteBuffer[] writeBatch = new ByteBuffer[WriteQueue.MAX_BUFFERS_PER_WRITE];

    private Packet lastEncodedPacket;
    private ProtocolVersion lastEncodedVersion;
    private ByteBuffer lastEncodedBytes;

    private long nextConnectionId = 1;
    private long now;
    private boolean shuttingDown;
    private volatile boolean stopRequested;
    /** Set by {@link #wakeUp()}: ends a poll that {@code selectNow} would otherwise keep going. */
    private volatile boolean wakeRequested;
    private final CountDownLatch finished = new CountDownLatch(1);

    SelectorLoop(Selector selector, ServerSocketChannel server, CoreDriver core, WireCodec codec, Clock clock,
                 BrokerSettings settings, BrokerLog log, BrokerStats stats) throws IOException {
        this(selector, server, core, codec, clock, settings, log, stats, null);
    }

    SelectorLoop(Selector selector, ServerSocketChannel server, CoreDriver core, WireCodec codec, Clock clock,
                 BrokerSettings settings, BrokerLog log, BrokerStats stats, AuthReloader authReloader)
            throws IOException {
        this.authReloader = authReloader;
        this.selector = selector;
        this.server = server;
        this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
        this.core = core;
        this.codec = codec;
        this.clock = clock;
        this.settings = settings;
        this.log = log;
        this.stats = stats;
        this.readBuffer = ByteBuffer.allocate(settings.readBufferBytes());
        this.busyPoll = new BusyPoll(settings.busyPollMicros());
    }

    /** Asks the loop to stop gracefully; safe from any thread. */
    void requestStop() {
        stopRequested = true;
        wakeUp();
    }

    /**
     * Re-reads every auth file at the next pass and waits (at most 10 s) until the new rules are
     * in force; safe from any thread. False when no auth file is configured or the wait ran out.
     */
    boolean reloadAuth() throws InterruptedException {
        if (authReloader == null) {
            return false;
        }
        long ticket = authReloader.request();
        wakeUp();
        return authReloader.await(ticket, 10_000);
    }

    /** Makes the loop re-read the clock now (for tests that move a fake clock); safe from any thread. */
    void wakeUp() {
        wakeRequested = true;   // before wakeup(): a poll's selectNow may swallow the wake-up itself
        selector.wakeup();
    }

    void awaitFinished() throws InterruptedException {
        finished.await();
    }

    boolean isFinished() {
        return finished.getCount() == 0;
    }

    @Override
    public void run() {
        try {
            now = clock.millis();
            if (authReloader != null && authReloader.intervalMillis() > 0) {
                timers.schedule(new AuthCheck(), now + authReloader.intervalMillis());
            }
            while (!stopRequested) {
                selectUntilNextDeadline();
                wakeRequested = false;   // cleared before the clock is read: a later wakeUp() sets it again
                now = clock.millis();
                handleReadyKeys();
                timers.fireDue(now, (key, deadline) -> onTimer(key));
                if (authReloader != null && authReloader.requested()) {
                    authReloader.check(core, log);
                }
                flushPending();
            }
            stopGracefully();
        } catch (IOException | RuntimeException | Error e) {
            log.error("event loop failed", e);
        } finally {
            closeEverything();
            finished.countDown();
        }
    }

    private void selectUntilNextDeadline() throws IOException {
        long waitStart = System.nanoTime();
        int ready = busyPoll.worthPolling() ? pollBeforeSleeping(waitStart) : 0;
        if (ready == 0 && !wakeRequested) {
            long next = timers.nextDeadline();
            if (next <= now) {
                ready = selector.selectNow();
            } else if (next == Long.MAX_VALUE) {
                ready = selector.select();
            } else {
                ready = selector.select(Math.max(1, next - now));
            }
        }
        busyPoll.waited(System.nanoTime() - waitStart, ready > 0);
    }

    /**
     * Polls without blocking until a socket is ready, a wake-up is asked for, or the budget has
     * passed; returns the number of ready keys (0 when it ran out of time or was woken). Only
     * called while {@link BusyPoll} finds events coming closer together than the budget.
     */
    private int pollBeforeSleeping(long start) throws IOException {
        long budget = busyPoll.budgetNanos();
        do {
            int ready = selector.selectNow();
            if (ready > 0 || wakeRequested) {
                return ready;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - start < budget);
        return 0;
    }

    private void handleReadyKeys() {
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key == serverKey) {
                acceptAll();
                continue;
            }
            Connection connection = (Connection) key.attachment();
            int readyOps = key.readyOps();
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                flush(connection);   // a partly written queue resumes here
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && key.isValid()) {
                read(connection);
            }
        }
    }

    // ---- accepting ---------------------------------------------------------------------------

    private void acceptAll() {
        for (int i = 0; i < MAX_ACCEPTS_PER_PASS; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                log.error("accept failed, pausing accepts for " + ACCEPT_RETRY_MILLIS + " ms", e);
                serverKey.interestOps(0);
                timers.schedule(new ResumeAccept(), now + ACCEPT_RETRY_MILLIS);
                return;
            }
            if (channel == null) {
                return;
            }
            stats.connectionsAccepted++;
            if (connections.size() >= settings.maxConnections()) {
                stats.connectionsRefused++;
                if (log.connections()) {
                    log.connection("refused " + Connection.remoteOf(channel) + ": max_connections ("
                            + settings.maxConnections() + ") reached");
                }
                closeQuietly(channel);
                continue;
            }
            open(channel);
        }
    }

    private void open(SocketChannel channel) {
        Connection connection;
        try {
            channel.configureBlocking(false);
            // batching comes from one gathering write per wake-up, not from Nagle's delay
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            connection = new Connection(new ConnectionId(nextConnectionId++), channel, key);
            key.attach(connection);
        } catch (IOException e) {
            log.error("could not set up accepted socket " + Connection.remoteOf(channel), e);
            closeQuietly(channel);
            return;
        }
        connections.put(connection.id, connection);
        stats.connectionsOpen = connections.size();
        if (log.connections()) {
            log.connection("open " + connection.describe());
        }
        runCore(connection, () -> core.connectionOpened(connection.id, now));
    }

    // ---- reading -----------------------------------------------------------------------------

    private void read(Connection connection) {
        if (!wantsInput(connection)) {
            updateInterest(connection);
            return;
        }
        ByteBuffer buffer = readBuffer;
        buffer.clear();
        int count;
        try {
            count = connection.channel.read(buffer);
        } catch (IOException e) {
            lost(connection, "read failed: " + e.getMessage());
            return;
        }
        if (count < 0) {
            lost(connection, "closed by client");
            return;
        }
        if (count == 0) {
            return;
        }
        buffer.flip();
        ByteBuffer input;
        if (connection.partial != null) {
            connection.partial = append(connection.partial, buffer);
            connection.partial.flip();
            input = connection.partial;
        } else {
            input = buffer;
        }
        decodeFrames(connection, input);
        keepUndecoded(connection, input);
    }

    private boolean wantsInput(Connection connection) {
        return !connection.inputEnded && !connection.closeRequested && !connection.closed && !shuttingDown
                && connection.out.queuedBytes() < settings.maxOutboundBytes();
    }

    /** Feeds every complete frame in {@code input} to the core, stopping early when input must pause. */
    private void decodeFrames(Connection connection, ByteBuffer input) {
        while (input.hasRemaining() && wantsInput(connection)) {
            WireCodec.Decoding decoding;
            try {
                decoding = codec.decode(input, connection.version, settings.core().maximumPacketSize());
            } catch (RuntimeException e) {
                // a decoder bug must not take the loop down; the input is unusable either way
                log.error("decoder failed on input from " + connection.describe(), e);
                decoding = new WireCodec.Malformed(ReasonCode.MALFORMED_PACKET,
                        "", "decoder failed: " + e);
            }
            if (decoding instanceof WireCodec.NeedMoreBytes) {
                return;
            } else if (decoding instanceof WireCodec.Frame frame) {
                input.position(input.position() + frame.frameLength());
                stats.packetsIn++;
                onPacket(connection, frame.packet());
            } else if (decoding instanceof WireCodec.Malformed malformed) {
                stats.malformedInputs++;
                connection.inputEnded = true;
                input.position(input.limit());
                String detail = (malformed.statement() == null || malformed.statement().isEmpty() ? ""
                        : "[" + malformed.statement() + "] ") + malformed.message();
                log.connection("bad input from " + connection.describe() + ": " + malformed.reason() + " " + detail);
                if (connection.version == null) {
                    connection.version = malformed.version();   // a 5.0 CONNECT's CONNACK 0x81 goes out as 5.0
                }
                runCore(connection, () -> core.malformedPacket(connection.id, malformed.reason(), detail,
                        malformed.version(), now));
                return;
            }
        }
    }

    private void onPacket(Connection connection, Packet packet) {
        if (packet instanceof Connect connect && connection.version == null) {
            connection.version = connect.version();
            connection.clientId = connect.clientId();
            connection.clientMaximumPacketSize = connect.properties().integer(PropertyId.MAXIMUM_PACKET_SIZE, 0);
            if (log.connections()) {
                log.connection("CONNECT " + connection.describe() + " clean=" + connect.cleanStart()
                        + " keepAlive=" + connect.keepAliveSeconds());
            }
        }
        if (log.verbose()) {   // building the line (packet toString, String.format) costs more than routing it
            log.packet("<- " + connection.id + " " + packet);
        }
        runCore(connection, () -> core.packetReceived(connection.id, packet, now));
    }

    /** Keeps the bytes of a frame that has not fully arrived (or that waits for back-pressure to end). */
    private void keepUndecoded(Connection connection, ByteBuffer input) {
        // input left over while the connection may not be read holds whole frames to decode later
        connection.inputPaused = input.hasRemaining() && !wantsInput(connection);
        if (connection.closed || connection.inputEnded || !input.hasRemaining()) {
            connection.partial = null;
        } else if (input == connection.partial) {
            connection.partial.compact();
        } else {
            ByteBuffer kept = ByteBuffer.allocate(Math.max(256, input.remaining()));
            kept.put(input);
            connection.partial = kept;
        }
    }

    /** {@code partial} (write mode) with {@code more} appended, grown when needed. */
    private static ByteBuffer append(ByteBuffer partial, ByteBuffer more) {
        if (partial.remaining() < more.remaining()) {
            int needed = partial.position() + more.remaining();
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, partial.capacity() * 2));
            partial.flip();
            bigger.put(partial);
            partial = bigger;
        }
        partial.put(more);
        return partial;
    }

    /** Input paused by back-pressure may hold whole frames; decode them once the client drains. */
    private void resumeInput(Connection connection) {
        connection.inputPaused = false;
        if (connection.partial != null && connection.partial.position() > 0 && wantsInput(connection)) {
            ByteBuffer input = connection.partial;
            input.flip();
            decodeFrames(connection, input);
            keepUndecoded(connection, input);
        }
    }

    // ---- effects -----------------------------------------------------------------------------

    /**
     * Runs one core transition and carries out its effects. If the core throws, that is a bug in
     * the core: the connection the input came from is closed (so one client cannot wedge the
     * broker) and the core's state stays as it was before the input.
     */
    private void runCore(Connection blame, Supplier<List<Effect>> transition) {
        List<Effect> effects;
        try {
            effects = transition.get();
        } catch (RuntimeException e) {
            stats.coreFailures++;
            log.error("core failed on input" + (blame == null ? "" : " from " + blame.describe()), e);
            if (blame != null && !blame.closed) {
                closeChannel(blame);
                log.connection("disconnect " + blame.describe() + ": internal error");
                List<Effect> cleanup;
                try {
                    cleanup = core.connectionLost(blame.id, now);
                } catch (RuntimeException again) {
                    return;
                }
                runEffects(cleanup);
            }
            return;
        }
        runEffects(effects);
    }

    private void runEffects(List<Effect> effects) {
        runEach(effects);
        lastEncodedPacket = null;   // nothing outlives one step: the payload can be collected
        lastEncodedBytes = null;
    }

    private void runEach(List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send send) {
                send(send.connection(), send.packet());
            } else if (effect instanceof Effect.Close close) {
                requestClose(close);
            } else if (effect instanceof Effect.ScheduleTimer schedule) {
                timers.schedule(schedule.timer(), schedule.deadlineMillis());
            } else if (effect instanceof Effect.CancelTimer cancel) {
                timers.cancel(cancel.timer());
            } else if (effect instanceof Effect.Notice notice && log.connections()) {
                Connection connection = notice.connection() == null ? null : connections.get(notice.connection());
                log.connection((connection == null ? "" : connection.describe() + ": ") + notice.message());
            }
        }
    }

    private void send(ConnectionId id, Packet packet) {
        Connection connection = connections.get(id);
        if (connection == null || connection.closeRequested || connection.closed) {
            stats.droppedToClosed++;
            return;
        }
        if (packet instanceof Publish publish && publish.qos() == QoS.AT_MOST_ONCE
                && connection.out.queuedBytes() >= settings.maxOutboundBytes()) {
            // a client that does not drain its socket gets no more QoS 0 messages (tried once, may be lost)
            connection.droppedQos0++;
            stats.droppedQos0++;
            return;
        }
        ByteBuffer bytes;
        try {
            bytes = encode(packet, connection.encodeVersion());
        } catch (RuntimeException e) {
            stats.coreFailures++;
            log.error("cannot encode " + packet + " for " + connection.describe(), e);
            return;
        }
        if (connection.clientMaximumPacketSize > 0 && bytes.remaining() > connection.clientMaximumPacketSize) {
            // safety net for [MQTT-3.1.2-24 in 5.0]: never send more than the client accepts
            stats.droppedOversize++;
            log.packet("-> " + id + " dropped, " + bytes.remaining() + " bytes > client maximum "
                    + connection.clientMaximumPacketSize + ": " + packet);
            return;
        }
        if (packet instanceof Connack connack) {
            String assigned = connack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
            if (assigned != null) {
                connection.clientId = assigned;
            }
        }
        if (log.verbose()) {   // building the line (packet toString, String.format) costs more than routing it
            log.packet("-> " + id + " " + packet);
        }
        connection.out.add(bytes);
        stats.packetsOut++;
        scheduleFlush(connection);
    }

    /**
     * Encodes a packet, reusing the bytes of the previous Send when the core hands the same packet
     * object to many connections of one version (a QoS 0 fan-out): encoded buffers are never written
     * after encoding, so connections can share their content, each with its own position.
     */
    private ByteBuffer encode(Packet packet, ProtocolVersion version) {
        if (packet != lastEncodedPacket || version != lastEncodedVersion) {
            lastEncodedBytes = codec.encode(packet, version);
            lastEncodedPacket = packet;
            lastEncodedVersion = version;
        }
        return lastEncodedBytes.duplicate();
    }

    private void requestClose(Effect.Close close) {
        Connection connection = connections.get(close.connection());
        if (connection == null || connection.closed || connection.closeRequested) {
            return;
        }
        connection.closeRequested = true;
        connection.closeReason = close.reason();
        connection.closeDetail = close.detail();
        connection.partial = null;
        scheduleFlush(connection);   // the linger deadline starts only if the queue does not drain at once
    }

    private void onTimer(Object key) {
        if (key instanceof Timer timer) {
            runCore(null, () -> core.timerFired(timer, now));
        } else if (key instanceof CloseLinger linger) {
            Connection connection = connections.get(linger.connection());
            if (connection != null && !connection.closed) {
                closeChannel(connection);
                if (log.connections()) {
                    log.connection("disconnect " + connection.describe() + ": " + closeText(connection)
                            + " (queued bytes not drained in " + settings.closeLingerMillis() + " ms)");
                }
            }
        } else if (key instanceof ResumeAccept && serverKey.isValid()) {
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
        } else if (key instanceof AuthCheck) {
            authReloader.check(core, log);
            timers.schedule(new AuthCheck(), now + authReloader.intervalMillis());
        }
    }

    // ---- writing -----------------------------------------------------------------------------

    private void scheduleFlush(Connection connection) {
        if (!connection.flushPending) {
            connection.flushPending = true;
            toFlush.addLast(connection);
        }
    }

    /** One gathering write per connection that got packets in this pass. */
    private void flushPending() {
        Connection connection;
        while ((connection = toFlush.pollFirst()) != null) {
            connection.flushPending = false;
            flush(connection);
        }
    }

    private void flush(Connection connection) {
        if (connection.closed) {
            return;
        }
        boolean drained;
        try {
            drained = connection.out.flushTo(connection.channel, writeBatch);
        } catch (IOException e) {
            lost(connection, "write failed: " + e.getMessage());
            return;
        }
        if (drained && connection.closeRequested) {
            closeChannel(connection);
            if (log.connections()) {
                log.connection("disconnect " + connection.describe() + ": " + closeText(connection));
            }
            return;
        }
        if (connection.closeRequested && !connection.lingering) {
            connection.lingering = true;
            timers.schedule(new CloseLinger(connection.id), now + settings.closeLingerMillis());
        }
        updateInterest(connection);
        if (connection.inputPaused && wantsInput(connection)) {
            resumeInput(connection);
        }
    }

    private void updateInterest(Connection connection) {
        if (connection.closed || !connection.key.isValid()) {
            return;
        }
        int ops = (wantsInput(connection) ? SelectionKey.OP_READ : 0)
                | (connection.out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (connection.key.interestOps() != ops) {
            connection.key.interestOps(ops);
        }
    }

    // ---- closing -----------------------------------------------------------------------------

    /** The socket went away without the core asking: tell the core (it publishes wills, keeps sessions). */
    private void lost(Connection connection, String why) {
        if (connection.closed) {
            return;
        }
        boolean coreAskedToClose = connection.closeRequested;
        closeChannel(connection);
        if (log.connections()) {
            log.connection("disconnect " + connection.describe() + ": "
                    + (coreAskedToClose ? closeText(connection) + " (" + why + ")" : why + dropped(connection)));
        }
        if (coreAskedToClose) {
            return;
        }
        runCore(null, () -> core.connectionLost(connection.id, now));
    }

    private void closeChannel(Connection connection) {
        connection.closed = true;
        connection.key.cancel();
        closeQuietly(connection.channel);
        connections.remove(connection.id);
        if (connection.lingering) {
            timers.cancel(new CloseLinger(connection.id));
        }
        connection.out.clear();
        connection.partial = null;
        stats.connectionsOpen = connections.size();
    }

    private static String closeText(Connection connection) {
        String detail = connection.closeDetail == null || connection.closeDetail.isEmpty() ? ""
                : " " + connection.closeDetail;
        return "closed by broker, " + connection.closeReason + detail + dropped(connection);
    }

    private static String dropped(Connection connection) {
        return connection.droppedQos0 == 0 ? ""
                : " (" + connection.droppedQos0 + " QoS 0 messages dropped: outbound queue full)";
    }

    /** Stop accepting, let the core say goodbye (DISCONNECT 0x8B to 5.0 clients), drain briefly, close all. */
    private void stopGracefully() throws IOException {
        shuttingDown = true;
        log.info("stopping: " + connections.size() + " connection(s) open");
        serverKey.cancel();
        closeQuietly(server);
        for (Connection connection : connections.values()) {
            updateInterest(connection);
        }
        runCore(null, () -> core.shutdown(now));
        flushPending();
        long graceEnds = System.nanoTime() + settings.shutdownGraceMillis() * 1_000_000L;
        while (hasQueuedOutput()) {
            long left = (graceEnds - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            selector.select(left);
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove();
                if (key.isValid() && key.attachment() instanceof Connection connection && key.isWritable()) {
                    flush(connection);
                }
            }
        }
        for (Connection connection : new ArrayList<>(connections.values())) {
            closeChannel(connection);
            log.connection("disconnect " + connection.describe() + ": broker shutting down");
        }
    }

    private boolean hasQueuedOutput() {
        for (Connection connection : connections.values()) {
            if (!connection.out.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void closeEverything() {
        for (Connection connection : new ArrayList<>(connections.values())) {
            closeChannel(connection);
        }
        closeQuietly(server);
        try {
            selector.close();
        } catch (IOException e) {
            log.error("closing selector", e);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing useful to do: the socket is going away either way
        }
    }
}
