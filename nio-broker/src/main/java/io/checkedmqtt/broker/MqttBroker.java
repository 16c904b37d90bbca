package io.checkedmqtt.broker;

import io.checkedmqtt.broker.auth.AuthFiles;
import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.config.BrokerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    /** Each listener's name ({@code mqtt}, {@code mqtts}, {@code ws}, {@code wss}, {@code http}) and bound address, in order. */
    private final List<Map.Entry<String, InetSocketAddress>> listeners;

    private MqttBroker(EventLoop loop, Thread thread, InetSocketAddress address, BrokerStats stats,
                       List<Map.Entry<String, InetSocketAddress>> listeners) {
        this.listeners = listeners;
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
     * before any listener opens; a directory that cannot be used, or a damaged file, throws
     * {@link PersistenceException} and nothing starts.
     */
    public static MqttBroker start(BrokerSettings settings, Clock clock) throws IOException {
        return start(settings, clock, Storage.FILES, System.err);
    }

    /** As {@link #start(BrokerSettings, Clock)}, with persistence's files opened through {@code storage}. */
    static MqttBroker start(BrokerSettings settings, Clock clock, Storage storage, PrintStream logStream)
            throws IOException {
        AuthFiles files = null;
        BrokerConfig config = settings.core();
        if (settings.auth().any()) {
            // A file that cannot be read or parsed stops the start, naming its line
            byte[] decoySecret = new byte[32];
            new SecureRandom().nextBytes(decoySecret);
            files = AuthFiles.load(settings.auth(), decoySecret);
            config = config.toBuilder().authorizer(files.authorizer()).build();
        }
        PersistenceSettings durable = settings.persistence();
        BrokerCore core = new BrokerCore(config, settings.clientTesting().watchConfig(settings.verbose()),
                durable.enabled());
        Persistence persistence = !durable.enabled() ? null : Persistence.open(durable, storage, core, clock.millis(),
                new BrokerLog(logStream, settings.logConnections(), settings.verbose()), MqttBroker::compactorThread);
        try {
            BrokerCoreDriver driver = persistence == null ? new BrokerCoreDriver(core)
                    : new BrokerCoreDriver(core, persistence.recovered());
            return start(settings, clock, driver, logStream, bindAll(settings), files, persistence);
        } catch (IOException | RuntimeException e) {
            if (persistence != null) {
                persistence.close();
            }
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
        return start(settings, clock, core, logStream, bindAll(settings));
    }

    /**
     * Binds every listener the settings name, the plain one first: a port in use, or a
     * certificate that cannot be loaded, fails here, and what was bound already is released.
     */
    private static List<Listener> bindAll(BrokerSettings settings) throws IOException {
        List<Listener> bound = new ArrayList<>();
        ListenerTransports transports = new ListenerTransports(settings.core().maximumPacketSize());
        try {
            if (settings.plainListener()) {
                bound.add(Listener.bind("mqtt", new InetSocketAddress(settings.bindAddress(), settings.port()),
                        PlainTransport.FACTORY));
            }
            for (ListenerSettings listener : settings.listeners()) {
                InetSocketAddress address = new InetSocketAddress(listener.bindAddress(settings.bindAddress()),
                        listener.port());
                bound.add(Listener.bind(listener.scheme(), address, transports.factoryFor(listener)));
            }
            if (settings.http() != null) {
                bound.add(Listener.bindHttp(new InetSocketAddress(settings.http().address(), settings.http().port())));
            }
        } catch (IOException | RuntimeException e) {
            bound.forEach(Listener::close);
            throw e;
        }
        return bound;
    }

    /**
     * A broker whose one loop serves every listener given (bound already); {@link #port()} is the
     * first one's.
     */
    static MqttBroker start(BrokerSettings settings, Clock clock, CoreDriver core, PrintStream logStream,
                            List<Listener> listeners) throws IOException {
        return start(settings, clock, core, logStream, listeners, null, null);
    }

    /**
     * @param files       the auth files whose rules the core judges by, or null
     * @param persistence where the core's records go (recovered already), or null when it is off
     */
    private static MqttBroker start(BrokerSettings settings, Clock clock, CoreDriver core, PrintStream logStream,
                                    List<Listener> listeners, AuthFiles files, Persistence persistence)
            throws IOException {
        BrokerLog log = new BrokerLog(logStream, settings.logConnections(), settings.verbose());
        AuthReloader reloader = files == null ? null : new AuthReloader(files, settings.authReloadIntervalMillis());
        BrokerStats stats = new BrokerStats();
        EventLoop loop;
        Selector selector = null;
        try {
            CoreDriver driver = SpecTracingDriver.wrap(core, settings, log);
            selector = Selector.open();
            loop = new EventLoop(selector, listeners, driver, clock, settings, log, stats, reloader, persistence);
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
        List<Map.Entry<String, InetSocketAddress>> bound = new ArrayList<>();
        for (Listener listener : listeners) {
            log.info("listening on " + listener.address().getAddress().getHostAddress() + ":"
                    + listener.address().getPort() + " (" + listener.name() + ")");
            bound.add(Map.entry(listener.name(), listener.address()));
        }
        if (files != null) {
            log.info(files.describe());
        }
        if (settings.auth().anonymousAllowed() && listeners.stream().anyMatch(l -> !l.address().getAddress()
                .isLoopbackAddress())) {
            // Mosquitto 2.0 refuses anonymous clients on such a listener unless told otherwise
            log.info("warning: anonymous clients may connect from other machines (set allow_anonymous false "
                    + "and a password_file to require a password)");
        }
        return new MqttBroker(loop, thread, first, stats, List.copyOf(bound));
    }

    /** The port the broker listens on; the one chosen when the settings asked for port 0. */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * The ports of the listeners of one kind, in the order they were configured: {@code mqtt}
     * (plain), {@code mqtts} (TLS), {@code ws} (WebSocket), {@code wss} (WebSocket over TLS) or
     * {@code http} (the API, metrics and dashboard).
     */
    public List<Integer> ports(String scheme) {
        List<Integer> ports = new ArrayList<>();
        for (Map.Entry<String, InetSocketAddress> listener : listeners) {
            if (listener.getKey().equals(scheme)) {
                ports.add(listener.getValue().getPort());
            }
        }
        return ports;
    }

    /** The port of the first listener of one kind (see {@link #ports}); an exception when there is none. */
    public int port(String scheme) {
        List<Integer> ports = ports(scheme);
        if (ports.isEmpty()) {
            throw new IllegalStateException("no " + scheme + " listener; listening on " + listeners);
        }
        return ports.get(0);
    }

    /**
     * Testing clients at run time: their traces and conformance reports, fault rules, probes
     * (README, "Testing clients").
     */
    public ClientTestControl clientTesting() {
        return loop.clientTesting();
    }

    /** Live counters: connections, packets, dropped messages. */
    public BrokerStats stats() {
        return stats;
    }

    public boolean isRunning() {
        return !loop.isFinished();
    }

    /**
     * Re-reads the password, ACL and SCRAM files now, whether or not they look changed, and
     * returns once the loop has done it: every packet read after that is judged by what they say.
     * A file that does not parse keeps the rules in force (and is logged). The broker also checks
     * the files by itself every {@code auth_reload_interval_ms}.
     *
     * @return false when the broker has no auth files, or did not get to it within 10 seconds
     */
    public boolean reloadAuthFiles() throws InterruptedException {
        return loop.reloadAuth();
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
