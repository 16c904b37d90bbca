package io.checkedmqtt.broker;

import io.checkedmqtt.broker.observe.Api;
import io.checkedmqtt.broker.observe.LoopTimes;
import io.checkedmqtt.broker.observe.SysTopics;
import io.checkedmqtt.broker.observe.Traffic;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Publish;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
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
 *   <li>accepts new sockets on every {@link Listener} ({@link Acceptor}), finishes partial writes (OP_WRITE), and
 *       has the {@link ConnectionReader} read and decode what arrived, each packet going through
 *       the core ({@link CoreRunner}) and its effects carried out ({@link EffectRunner});</li>
 *   <li>fires the timers that are due, again through the core;</li>
 *   <li>with persistence on, makes the records of the pass durable ({@link DurableCommit}: one
 *       frame, one force for every acknowledgement of the pass); until then nothing is written
 *       to any socket, not even on OP_WRITE;</li>
 *   <li>has the {@link ConnectionWriter} write every connection that got packets in this pass,
 *       with one gathering write each; then a full log segment is rolled and compacted.</li>
 * </ol>
 * The HTTP listener's sockets go to {@link HttpConnections}, on the same thread: a request is
 * answered between two core inputs, from the core's state of that moment. The {@code $SYS}
 * topics are a timer of the loop's own whose messages the core routes ({@link SysTopics}).
 * The loop never decides protocol behaviour: every packet, timeout and lost socket goes to the
 * core, and only what the core answers is done.
 */
final class EventLoop implements Runnable {

    /** Shell deadline: time to look at the auth files again. */
    private record AuthCheck() {
    }

    private final Selector selector;
    private final List<Listener> listeners;
    private final Clock clock;
    private final BrokerSettings settings;
    private final BrokerLog log;
    private final BrokerStats stats;

    private final Timers<Object> timers = new Timers<>();
    private final SelectorWait waiter;
    private final Connections connections;
    private final ConnectionWriter writer;
    private final OutboundBudget outbound;
    private final CoreRunner core;
    private final ConnectionReader reader;
    private final Acceptor acceptor;
    private final Traffic traffic = new Traffic();
    private final LoopTimes loopTimes = new LoopTimes();
    /** The HTTP listener's sockets; null without an HTTP listener. */
    private final HttpConnections http;
    /** The {@code $SYS} publisher; null when {@code sys_interval} is 0. */
    private final SysTopics sys;
    private final CoreDriver driver;
    private final ClientTesting testing;
    private final ClientTestControl control;
    /** Null when no password, ACL or SCRAM file is configured. */
    private final AuthReloader authReloader;
    private final DurableCommit durable;

    private long now;
    private volatile boolean stopRequested;
    /** Set by {@link #wakeUp()}: ends a poll that {@code selectNow} would otherwise keep going. */
    private volatile boolean wakeRequested;
    private final CountDownLatch finished = new CountDownLatch(1);

    EventLoop(Selector selector, List<Listener> listeners, CoreDriver driver, Clock clock, BrokerSettings settings,
              BrokerLog log, BrokerStats stats) throws IOException {
        this(selector, listeners, driver, clock, settings, log, stats, null, null);
    }

    /**
     * @param authReloader the auth files to watch, or null
     * @param persistence  where the core's records go, or null when persistence is off
     */
    EventLoop(Selector selector, List<Listener> listeners, CoreDriver driver, Clock clock, BrokerSettings settings,
              BrokerLog log, BrokerStats stats, AuthReloader authReloader, Persistence persistence)
            throws IOException {
        this.driver = driver;
        this.authReloader = authReloader;
        this.selector = selector;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.settings = settings;
        this.log = log;
        this.stats = stats;
        this.waiter = new SelectorWait(selector, new BusyPoll(settings.busyPollMicros()), () -> wakeRequested);
        this.connections = new Connections(timers, stats, traffic);
        this.writer = new ConnectionWriter(connections, timers, settings.closeLingerMillis(), log);
        this.durable = new DurableCommit(persistence, driver::state, connections, timers, log);
        this.testing = new ClientTesting(settings.clientTesting(), log, timers, writer, connections, stats, clock);
        this.outbound = new OutboundBudget(settings.outboundBytesBudget(), stats);
        EffectRunner effects = new EffectRunner(connections, writer, timers, settings.maxOutboundBytes(), outbound,
                log, stats, traffic, testing, persistence);
        this.core = new CoreRunner(driver, effects, connections, log, stats,
                new CoreFailureReport(settings.coreFailureDir(), settings.core()), testing);
        this.reader = new ConnectionReader(settings, core, writer, timers,
                new InboundBudget(settings.partialBytesBudget(), stats), outbound, log, stats, traffic, testing);
        testing.wire(core, reader);
        this.control = new ClientTestControl(testing, driver, connections, settings, this::wakeUp);
        this.now = clock.millis();
        ShellAccess access = new ShellAccess(core, connections, stats, traffic, loopTimes, this.listeners, () -> now);
        boolean httpListener = this.listeners.stream().anyMatch(Listener::isHttp);
        this.acceptor = new Acceptor(selector, connections, core, writer, timers, settings, outbound, log, stats,
                httpListener ? new Api(access) : null);
        this.http = acceptor.http();
        this.sys = settings.sysIntervalSeconds() > 0 ? new SysTopics(access) : null;
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

    /** Client testing at run time: traces, reports, fault rules, probes; safe from any thread. */
    ClientTestControl clientTesting() {
        return control;
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
            core.started(now);
            if (sys != null) {
                timers.schedule(new SysTopics.Tick(), now);   // the first values go out at once
            }
            if (authReloader != null && authReloader.intervalMillis() > 0) {
                timers.schedule(new AuthCheck(), now + authReloader.intervalMillis());
            }
            while (!stopRequested) {
                // sockets parked for closing must not wait for the next event: poll then
                waiter.untilNextDeadline(now, connections.socketsAwaitingClose() ? now : timers.nextDeadline());
                connections.closeDeregistered();
                long passStart = System.nanoTime();
                wakeRequested = false;   // cleared before the clock is read: a later wakeUp() sets it again
                now = clock.millis();
                handleReadyKeys();
                timers.fireDue(now, (key, deadline) -> onTimer(key));
                if (authReloader != null && authReloader.requested()) {
                    authReloader.check(driver, log);
                }
                control.run(now);
                if (!durable.commit(now)) {
                    break;   // the broker stopped: nothing of this pass is written
                }
                flushPending();
                reader.resumeWaiting(now);
                // input read there may have added records: durable before what depends on it is written
                if (durable.holdsWrites() && durable.commit(now)) {
                    flushPending();
                }
                if (durable.failed()) {
                    break;
                }
                durable.afterPass(now);
                if (testing.active()) {
                    testing.traces().flush();
                }
                loopTimes.record(System.nanoTime() - passStart);
            }
            if (!durable.failed()) {
                stopGracefully();
            }
        } catch (OutOfMemoryError e) {
            OutOfMemory.halt();   // before the handler below, which allocates
        } catch (IOException | RuntimeException | Error e) {
            log.error("event loop failed", e);
        } finally {
            closeEverything();
            finished.countDown();
        }
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
                    if (durable.holdsWrites()) {
                        writer.scheduleFlush(connection);   // its queue may hold packets of records not durable yet
                    } else {
                        flush(connection);   // a partly written queue resumes here
                    }
                }
                if ((readyOps & SelectionKey.OP_READ) != 0 && key.isValid()) {
                    reader.read(connection, now);
                }
            } else if (key.attachment() instanceof HttpExchange exchange) {
                http.ready(exchange, key.readyOps(), now);
            } else if (key.attachment() instanceof Listener listener) {
                acceptor.acceptAll(listener, now);
            }
        }
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
        } else if (key instanceof Acceptor.ResumeAccept resume) {
            resume.listener().resumeAccepting();
        } else if (key instanceof HttpConnections.Deadline deadline) {
            http.deadline(deadline, now);
        } else if (key instanceof SysTopics.Tick tick) {
            for (Publish message : sys.due(now)) {
                core.publishFromBroker(message, now);
            }
            timers.schedule(tick, now + settings.sysIntervalSeconds() * 1000L);
        } else if (key instanceof ClientTesting.Due due) {
            testing.due(due, now);
        } else if (key instanceof AuthCheck) {
            authReloader.check(driver, log);
            timers.schedule(new AuthCheck(), now + authReloader.intervalMillis());
        } else {
            durable.onDeadline(key, now);
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
        if (connection.tested != null && connection.tested.cut != null && !connection.hasOutput()) {
            core.cut(connection, connection.tested.cut, now);   // a fault rule's cut, once the packet before it is out
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
        if (http != null) {
            http.closeAll();
        }
        for (Connection connection : connections.snapshot()) {
            connection.updateInterest(false);
        }
        core.shutdown(now);
        if (!durable.commit(now)) {
            return;
        }
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
        testing.traces().close();
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
        connections.closeDeregistered();
        durable.close();
    }
}
