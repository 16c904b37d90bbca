package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.util.List;
import java.util.function.Supplier;

/**
 * A running broker: the embedding API. {@link #start} binds the listening socket on the calling
 * thread (so a port in use fails right there, with a {@link java.net.BindException}) and starts
 * the selector thread; {@link #close()} stops it gracefully and waits until every socket is closed.
 *
 * <pre>{@code
 * try (MqttBroker broker = MqttBroker.start(BrokerSettings.builder().port(0).build())) {
 *     String uri = "tcp://127.0.0.1:" + broker.port();
 *     // connect clients to uri ...
 * }
 * }</pre>
 *
 * Thread safety: every method may be called from any thread; the broker's own work happens on
 * its single loop thread.
 */
public final class MqttBroker implements AutoCloseable {

    private final EventLoop loop;
    private final Thread thread;
    private final InetSocketAddress address;
    private final BrokerStats stats;

    private MqttBroker(EventLoop loop, Thread thread, InetSocketAddress address, BrokerStats stats) {
        this.loop = loop;
        this.thread = thread;
        this.address = address;
        this.stats = stats;
    }

    /**
     * Starts a broker with the real core, the system clock, and log lines on standard error; with
     * persistence on, from the state its directory holds.
     */
    public static MqttBroker start(BrokerSettings settings) throws IOException {
        return start(settings, Clock.system());
    }

    /**
     * As {@link #start(BrokerSettings)}, with a clock of the caller's (tests move a fake one).
     * With persistence on, the state is recovered from {@code settings.persistence().location()}
     * before the listener opens; a directory that cannot be used, or a damaged file, throws
     * {@link PersistenceException} and nothing starts.
     */
    public static MqttBroker start(BrokerSettings settings, Clock clock) throws IOException {
        return start(settings, clock, Storage.FILES, System.err);
    }

    /** As {@link #start(BrokerSettings, Clock)}, with persistence's files opened through {@code storage}. */
    static MqttBroker start(BrokerSettings settings, Clock clock, Storage storage, PrintStream logStream)
            throws IOException {
        PersistenceSettings durable = settings.persistence();
        BrokerCore core = new BrokerCore(settings.core(), durable.enabled());
        if (!durable.enabled()) {
            return start(settings, clock, new BrokerCoreDriver(core), logStream);
        }
        BrokerLog log = new BrokerLog(logStream, settings.logConnections(), settings.verbose());
        Persistence persistence = Persistence.open(durable, storage, core, clock.millis(), log, MqttBroker::compactorThread);
        try {
            BrokerCoreDriver driver = new BrokerCoreDriver(core, persistence.recovered());
            return start(settings, clock, driver, logStream, List.of(bindMqtt(settings)), persistence, driver::state);
        } catch (IOException | RuntimeException e) {
            persistence.close();
            throw e;
        }
    }

    /** Persistence writes its snapshots on a thread of its own, which must not keep a JVM alive. */
    private static Thread compactorThread(Runnable work) {
        Thread thread = new Thread(work, "checked-mqtt-compactor");
        thread.setDaemon(true);
        return thread;
    }

    static MqttBroker start(BrokerSettings settings, Clock clock, CoreDriver core, PrintStream logStream)
            throws IOException {
        return start(settings, clock, core, logStream, List.of(bindMqtt(settings)));
    }

    private static Listener bindMqtt(BrokerSettings settings) throws IOException {
        return Listener.bind("mqtt", new InetSocketAddress(settings.bindAddress(), settings.port()),
                PlainTransport.FACTORY);
    }

    /**
     * A broker whose one loop serves every listener given (bound already); {@link #port()} is the
     * first one's.
     */
    static MqttBroker start(BrokerSettings settings, Clock clock, CoreDriver core, PrintStream logStream,
                            List<Listener> listeners) throws IOException {
        return start(settings, clock, core, logStream, listeners, null, () -> null);
    }

    private static MqttBroker start(BrokerSettings settings, Clock clock, CoreDriver core, PrintStream logStream,
                                    List<Listener> listeners, Persistence persistence,
                                    Supplier<BrokerState> coreState) throws IOException {
        BrokerLog log = new BrokerLog(logStream, settings.logConnections(), settings.verbose());
        BrokerStats stats = new BrokerStats();
        EventLoop loop;
        Selector selector = null;
        try {
            selector = Selector.open();
            loop = new EventLoop(selector, listeners, core, clock, settings, log, stats, persistence, coreState);
        } catch (IOException | RuntimeException e) {
            listeners.forEach(Listener::close);
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        InetSocketAddress first = listeners.get(0).address();
        Thread thread = new Thread(loop, "checked-mqtt-loop-" + first.getPort());
        // an embedding test that forgets close() must not keep its JVM alive
        thread.setDaemon(true);
        thread.start();
        for (Listener listener : listeners) {
            log.info("listening on " + listener.address().getAddress().getHostAddress() + ":"
                    + listener.address().getPort());
        }
        return new MqttBroker(loop, thread, first, stats);
    }

    /** The port the broker listens on; the one chosen when the settings asked for port 0. */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Live counters: connections, packets, dropped messages. */
    public BrokerStats stats() {
        return stats;
    }

    public boolean isRunning() {
        return !loop.isFinished();
    }

    /** Makes the loop read its clock again now; call after moving a fake clock. */
    public void wakeUp() {
        loop.wakeUp();
    }

    /** Blocks until the broker has stopped (after {@link #close()} from another thread, or a failure). */
    public void awaitTermination() throws InterruptedException {
        loop.awaitFinished();
    }

    /**
     * Stops gracefully: no new connections, 5.0 clients get DISCONNECT 0x8B (server shutting
     * down), queued bytes get up to {@code shutdownGraceMillis} to drain, every socket is closed.
     * Returns once the loop thread has ended. Calling it again does nothing.
     */
    @Override
    public void close() {
        loop.requestStop();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
