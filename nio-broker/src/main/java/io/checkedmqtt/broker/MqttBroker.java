package io.checkedmqtt.broker;

import io.checkedmqtt.broker.auth.AuthFiles;
import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.config.BrokerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.security.SecureRandom;

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

    private final SelectorLoop loop;
    private final Thread thread;
    private final InetSocketAddress address;
    private final BrokerStats stats;

    private MqttBroker(SelectorLoop loop, Thread thread, InetSocketAddress address, BrokerStats stats) {
        this.loop = loop;
        this.thread = thread;
        this.address = address;
        this.stats = stats;
    }

    /** Starts a broker with the real core and codec, the system clock, and log lines on standard error. */
    public static MqttBroker start(BrokerSettings settings) throws IOException {
        return start(settings, Clock.system());
    }

    /** As {@link #start(BrokerSettings)}, with a clock of the caller's (tests move a fake one). */
    public static MqttBroker start(BrokerSettings settings, Clock clock) throws IOException {
        AuthFiles files = null;
        BrokerConfig config = settings.core();
        if (settings.auth().any()) {
            // A file that cannot be read or parsed stops the start, naming its line
            byte[] decoySecret = new byte[32];
            new SecureRandom().nextBytes(decoySecret);
            files = AuthFiles.load(settings.auth(), decoySecret);
            config = config.toBuilder().authorizer(files.authorizer()).build();
        }
        return start(settings, clock, new BrokerCoreDriver(new BrokerCore(config)), new CoreWireCodec(), System.err,
                files);
    }

    static MqttBroker start(BrokerSettings settings, Clock clock, CoreDriver core, WireCodec codec,
                            PrintStream logStream) throws IOException {
        return start(settings, clock, core, codec, logStream, null);
    }

    private static MqttBroker start(BrokerSettings settings, Clock clock, CoreDriver core, WireCodec codec,
                                    PrintStream logStream, AuthFiles files) throws IOException {
        BrokerLog log = new BrokerLog(logStream, settings.logConnections(), settings.verbose());
        AuthReloader reloader = files == null ? null : new AuthReloader(files, settings.authReloadIntervalMillis());
        BrokerStats stats = new BrokerStats();
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
        Selector selector = Selector.open();
        // an IPv4 address gets an IPv4 socket: a dual-stack one would take the same clients as
        // IPv4-mapped IPv6 peers, with the kernel's IPv6 socket bookkeeping for each of them
        ServerSocketChannel server = address.getAddress() instanceof Inet4Address
                ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                : ServerSocketChannel.open();
        SelectorLoop loop;
        InetSocketAddress bound;
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 1024);
            server.configureBlocking(false);
            bound = (InetSocketAddress) server.getLocalAddress();
            loop = new SelectorLoop(selector, server, core, codec, clock, settings, log, stats, reloader);
        } catch (IOException | RuntimeException e) {
            server.close();
            selector.close();
            throw e;
        }
        Thread thread = new Thread(loop, "checked-mqtt-loop-" + bound.getPort());
        // an embedding test that forgets close() must not keep its JVM alive
        thread.setDaemon(true);
        thread.start();
        log.info("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        if (files != null) {
            log.info(files.describe());
        }
        if (settings.auth().anonymousAllowed() && !bound.getAddress().isLoopbackAddress()) {
            // Mosquitto 2.0 refuses anonymous clients on such a listener unless told otherwise
            log.info("warning: anonymous clients may connect from other machines (set allow_anonymous false "
                    + "and a password_file to require a password)");
        }
        return new MqttBroker(loop, thread, bound, stats);
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
