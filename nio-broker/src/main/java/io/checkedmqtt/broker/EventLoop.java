package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Timer;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The broker's one thread. Each pass of {@link #run()}:
 * <ol>
 *   <li>selects, with a timeout that ends at the earliest deadline in {@link Timers}; while
 *       socket events come closer together than {@code busy_poll_us}, it first polls for that
 *       long ({@link BusyPoll});</li>
 *   <li>reads the clock once; that value is "now" for everything in the pass;</li>
 *   <li>accepts new sockets on every {@link Listener}, finishes partial writes (OP_WRITE), and
 *       has the {@link ConnectionReader} read and decode what arrived, each packet going through
 *       the core ({@link CoreRunner}) and its effects carried out ({@link EffectRunner});</li>
 *   <li>fires the timers that are due, again through the core;</li>
 *   <li>has the {@link ConnectionWriter} write every connection that got packets in this pass,
 *       with one gathering write each.</li>
 * </ol>
 * The loop never decides protocol behaviour: every packet, timeout and lost socket goes to the
 * core, and only what the core answers is done.
 */
final class EventLoop implements Runnable {

    /** Shell deadline: accepting failed on this listener (file descriptors exhausted?); try again. */
    private record ResumeAccept(Listener listener) {
    }

    /** Shell deadline: time to look at the auth files again. */
    private record AuthCheck() {
    }

    private static final long ACCEPT_RETRY_MILLIS = 100;
    private static final int MAX_ACCEPTS_PER_PASS = 256;

    private final Selector selector;
    private final List<Listener> listeners;
    private final Clock clock;
    private final BrokerSettings settings;
    private final BrokerLog log;
    private final BrokerStats stats;

    private final Timers<Object> timers = new Timers<>();
    private final BusyPoll busyPoll;
    private final Connections connections;
    private final ConnectionWriter writer;
    private final OutboundBudget outbound;
    private final CoreRunner core;
    private final ConnectionReader reader;
    private final CoreDriver driver;
    /** Null when no password, ACL or SCRAM file is configured. */
    private final AuthReloader authReloader;

    private long nextConnectionId = 1;
    private long now;
    private volatile boolean stopRequested;
    /** Set by {@link #wakeUp()}: ends a poll that {@code selectNow} would otherwise keep going. */
    private volatile boolean wakeRequested;
    private final CountDownLatch finished = new CountDownLatch(1);

    EventLoop(Selector selector, List<Listener> listeners, CoreDriver driver, Clock clock, BrokerSettings settings,
              BrokerLog log, BrokerStats stats) throws IOException {
        this(selector, listeners, driver, clock, settings, log, stats, null);
    }

    EventLoop(Selector selector, List<Listener> listeners, CoreDriver driver, Clock clock, BrokerSettings settings,
              BrokerLog log, BrokerStats stats, AuthReloader authReloader) throws IOException {
        this.driver = driver;
        this.authReloader = authReloader;
        this.selector = selector;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.settings = settings;
        this.log = log;
        this.stats = stats;
        this.busyPoll = new BusyPoll(settings.busyPollMicros());
        this.connections = new Connections(timers, stats);
        this.writer = new ConnectionWriter(connections, timers, settings.closeLingerMillis(), log);
        this.outbound = new OutboundBudget(settings.outboundBytesBudget(), stats);
        EffectRunner effects = new EffectRunner(connections, writer, timers, settings.maxOutboundBytes(), outbound,
                log, stats);
        this.core = new CoreRunner(driver, effects, connections, log, stats,
                new CoreFailureReport(settings.coreFailureDir(), settings.core()));
        this.reader = new ConnectionReader(settings, core, writer, timers,
                new InboundBudget(settings.partialBytesBudget(), stats), outbound, log, stats);
        for (Listener listener : this.listeners) {
            listener.register(selector);
        }
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

    /**
     * Runs the loop until it is stopped or fails. An {@link OutOfMemoryError}, wherever it strikes
     * (in a pass, or again in the handling of another failure), halts the process
     * ({@link OutOfMemory}): a loop that cannot allocate cannot close its sockets either.
     */
    @Override
    public void run() {
        OutOfMemory.prepare();
        try {
            runUntilStopped();
        } catch (OutOfMemoryError e) {
            OutOfMemory.halt();
        }
    }

    private void runUntilStopped() {
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
                    authReloader.check(driver, log);
                }
                flushPending();
                reader.resumeWaiting(now);
            }
            stopGracefully();
        } catch (OutOfMemoryError e) {
            OutOfMemory.halt();   // before the handler below, which allocates
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
            if (key.attachment() instanceof Connection connection) {
                int readyOps = key.readyOps();
                if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                    flush(connection);   // a partly written queue resumes here
                }
                if ((readyOps & SelectionKey.OP_READ) != 0 && key.isValid()) {
                    reader.read(connection, now);
                }
            } else if (key.attachment() instanceof Listener listener) {
                acceptAll(listener);
            }
        }
    }

    // ---- accepting ---------------------------------------------------------------------------

    private void acceptAll(Listener listener) {
        for (int i = 0; i < MAX_ACCEPTS_PER_PASS; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                log.error("accept on " + listener + " failed, pausing it for " + ACCEPT_RETRY_MILLIS + " ms", e);
                listener.pauseAccepting();
                timers.schedule(new ResumeAccept(listener), now + ACCEPT_RETRY_MILLIS);
                return;
            }
            if (channel == null) {
                return;
            }
            stats.connectionsAccepted++;
            if (connections.size() >= settings.maxConnections()) {
                stats.connectionsRefused++;
                if (log.connections()) {
                    log.connection("refused " + Connection.remoteOf(channel) + ": max_sockets ("
                            + settings.maxConnections() + ") reached");
                }
                Connections.closeQuietly(channel);
                continue;
            }
            open(listener, channel);
        }
    }

    private void open(Listener listener, SocketChannel channel) {
        Connection connection;
        try {
            channel.configureBlocking(false);
            // batching comes from one gathering write per wake-up, not from Nagle's delay
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Transport transport = listener.transportFor(channel);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            connection = new Connection(new ConnectionId(nextConnectionId++), channel, key, transport, outbound);
            key.attach(connection);
        } catch (IOException | RuntimeException e) {
            log.error("could not set up a socket accepted on " + listener + " from " + Connection.remoteOf(channel), e);
            Connections.closeQuietly(channel);
            return;
        }
        connections.add(connection);
        if (log.connections()) {
            log.connection("open " + connection.describe());
        }
        core.connectionOpened(connection, now);
    }

    // ---- deadlines ---------------------------------------------------------------------------

    private void onTimer(Object key) {
        if (key instanceof Timer timer) {
            core.timerFired(timer, now);
        } else if (key instanceof ConnectionWriter.CloseLinger linger) {
            Connection connection = connections.get(linger.connection());
            if (connection != null && !connection.closed) {
                connections.close(connection);
                if (log.connections()) {
                    log.connection("disconnect " + connection.describe() + ": " + connection.closeText()
                            + " (queued bytes not drained in " + settings.closeLingerMillis() + " ms)");
                }
            }
        } else if (key instanceof ConnectionReader.FrameTimeout timeout) {
            Connection connection = connections.get(timeout.connection());
            if (connection != null) {
                reader.frameDeadline(connection, now);
            }
        } else if (key instanceof ResumeAccept resume) {
            resume.listener().resumeAccepting();
        } else if (key instanceof AuthCheck) {
            authReloader.check(driver, log);
            timers.schedule(new AuthCheck(), now + authReloader.intervalMillis());
        }
    }

    // ---- writing -----------------------------------------------------------------------------

    /** One gathering write per connection that got packets in this pass. */
    private void flushPending() {
        Connection connection;
        while ((connection = writer.nextToFlush()) != null) {
            flush(connection);
        }
    }

    /** Writes one connection; a client that drained its queue may be read again. */
    private void flush(Connection connection) {
        try {
            writer.flush(connection, now);
        } catch (IOException e) {
            core.lost(connection, "write failed: " + e.getMessage(), now);
            return;
        } catch (RuntimeException e) {
            // a transport's bug ends its own connection, not the loop
            log.error("transport failed writing to " + connection.describe(), e);
            core.lost(connection, "transport failed: " + e, now);
            return;
        }
        if (connection.closed) {
            return;
        }
        boolean wantsInput = reader.wantsInput(connection);
        connection.updateInterest(wantsInput);
        if (connection.inputPaused && wantsInput) {
            reader.resume(connection, now);
        }
    }

    // ---- stopping ----------------------------------------------------------------------------

    /** Stop accepting, let the core say goodbye (DISCONNECT 0x8B to 5.0 clients), drain briefly, close all. */
    private void stopGracefully() throws IOException {
        reader.stop();
        log.info("stopping: " + connections.size() + " connection(s) open");
        for (Listener listener : listeners) {
            listener.close();
        }
        for (Connection connection : connections.snapshot()) {
            connection.updateInterest(false);
        }
        core.shutdown(now);
        flushPending();
        long graceEnds = System.nanoTime() + settings.shutdownGraceMillis() * 1_000_000L;
        while (connections.anyOutputQueued()) {
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
        for (Connection connection : connections.snapshot()) {
            connections.close(connection);
            log.connection("disconnect " + connection.describe() + ": broker shutting down");
        }
    }

    private void closeEverything() {
        for (Connection connection : connections.snapshot()) {
            connections.close(connection);
        }
        for (Listener listener : listeners) {
            listener.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.error("closing selector", e);
        }
    }
}
