package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code conn} scenario: open C MQTT connections as fast as the broker takes them (at most
 * {@code concurrency} handshakes in progress, so the listen backlog does not overflow and hide
 * the broker's speed behind SYN retransmits), then hold them idle for {@code hold} seconds and
 * check that none was dropped. With {@code --broker-pid} the broker's RSS is read before and
 * after, giving its memory per idle connection. Connections are closed with a DISCONNECT and a
 * reset (SO_LINGER 0) so that repeated runs do not exhaust ephemeral ports with TIME_WAIT.
 */
final class ConnRun implements ClientListener {
    private static final int BUFFER = 256;
    private static final long SECOND = 1_000_000_000L;

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Client> clients = new ArrayList<>();
    private final RunErrors errors = new RunErrors();
    private int opened;
    private int connected;
    private int failed;
    private boolean holding;
    private long dropped;
    /** The broker's CPU time (all threads) while the connections were opened; -1 when unknown. */
    private long cpuMillis = -1;

    ConnRun(final Options options, final PrintStream out, final PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        final InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        final String runId = Long.toHexString(System.nanoTime());
        final int total = options.clients();
        final long rssBefore = BrokerProcess.rssKibibytes(options.brokerPid());
        final long cpuBefore = BrokerProcess.cpuMillis(options.brokerPid());
        final long begin = System.nanoTime();
        final long deadline = begin + (long) (options.setupTimeoutSeconds() * SECOND);
        long connectedAt = 0;
        final Progress progress = new Progress(err, options.quiet(), begin);
        try (Selector selector = Selector.open()) {
            // 1. open as fast as possible
            while (connected + failed < total) {
                while (opened < total && opened - connected - failed < options.concurrency()) {
                    final Client c = new Client(opened, "bench-" + runId + "-c" + opened, options.version(), BUFFER, this, options.wire().create());
                    opened++;
                    clients.add(c);
                    try {
                        if (c.open(selector, address, options.sourceAddress(c.index))) {
                            greet(c);
                        }
                    } catch (IOException e) {
                        fail(c, "connect failed: " + e.getMessage());
                    }
                }
                selector.select(key -> Client.serve(key, this::greet, this::fail), 100);
                final long now = System.nanoTime();
                progress.maybePrint(now, "connected", connected, "failed " + failed);
                if (now > deadline) {
                    error(null, "timed out with " + connected + " of " + total + " connected");
                    break;
                }
            }
            connectedAt = System.nanoTime();
            final long cpuConnected = BrokerProcess.cpuMillis(options.brokerPid());
            cpuMillis = cpuBefore >= 0 && cpuConnected >= 0 ? cpuConnected - cpuBefore : -1;
            // 2. hold idle, answering nothing but keep-alives
            holding = true;
            final long holdEnd = connectedAt + (long) (options.holdSeconds() * SECOND);
            long rssHeld = BrokerProcess.rssKibibytes(options.brokerPid());
            long now = connectedAt;
            long lastPing = now;
            while (now < holdEnd) {
                selector.select(key -> Client.serve(key, this::greet, this::fail), Math.max(1, Math.min(500, (holdEnd - now) / 1_000_000)));
                now = System.nanoTime();
                if (now - lastPing > SECOND && options.keepAliveSeconds() > 0) {
                    lastPing = now;
                    for (Client c : clients) {
                        if (c.state == Client.State.CONNECTED && now - c.lastSendNanos > options.keepAliveSeconds() * SECOND / 2) {
                            c.sendPing();
                            c.flush();
                        }
                    }
                }
            }
            // the broker has settled by the end of the hold: take the larger sample
            rssHeld = Math.max(rssHeld, BrokerProcess.rssKibibytes(options.brokerPid()));
            holding = false;
            int stillOpen = 0;
            for (Client c : clients) {
                if (c.state == Client.State.CONNECTED) {
                    stillOpen++;
                    c.sendDisconnect();
                    c.flush();
                }
                c.close(true, true);
            }
            return report(total, begin, connectedAt, stillOpen, rssBefore, rssHeld);
        }
    }

    private void greet(final Client c) {
        c.sendConnect(options.keepAliveSeconds(), Credentials.of(options), options.sessionExpiry());
        c.flush();
    }

    private void fail(final Client c, final String what) {
        error(c, what);
        if (c.state != Client.State.CLOSED) {
            c.close(true, true);
        }
        failed++;
    }

    @Override
    public void onConnack(final Client client, final int code) {
        if (code == 0) {
            connected++;
        } else {
            fail(client, "CONNACK refused with code 0x" + Integer.toHexString(code));
        }
    }

    @Override
    public void onSuback(final Client client, final int worstCode) {
        error(client, "SUBACK without SUBSCRIBE");
    }

    @Override
    public void onMessage(final Client client, final ByteBuffer buf, final int payloadStart, final int payloadLength,
                          final long nowNanos) {
        error(client, "PUBLISH without a subscription");
    }

    @Override
    public void onPublishComplete(final Client client) {
        error(client, "acknowledgement without a PUBLISH");
    }

    @Override
    public void onError(final Client client, final String what) {
        error(client, what);
    }

    @Override
    public void onClosed(final Client client, final boolean expected) {
        if (expected) {
            return;
        }
        if (holding) {
            dropped++;
            error(client, "idle connection closed by the broker");
        } else if (client.state != Client.State.CONNECTED) {
            failed++;
            error(client, "connection closed during the handshake");
        }
    }

    private void error(final Client client, final String what) {
        errors.add(client, what);
    }

    private int report(final int total, final long begin, final long connectedAt, final int stillOpen,
                       final long rssBefore, final long rssHeld) {
        final double seconds = Math.max(1e-9, (connectedAt - begin) / 1e9);
        final double perSecond = connected / seconds;
        final double kibPerConnection = rssBefore > 0 && rssHeld > 0 && connected > 0
                ? (rssHeld - rssBefore) / (double) connected : -1;
        final double cpuMicrosPerConnection = cpuMillis >= 0 && connected > 0 ? cpuMillis * 1000.0 / connected : -1;
        final Result result = new Result()
                .put("scenario", "conn")
                .put("n", total)
                .put("qos", 0)
                .put("payload", 0)
                .put("mqtt", options.version().label)
                .put("transport", options.transport())
                .put("rate", 0)
                .put("label", options.label().isEmpty() ? "-" : options.label())
                .put("phase", options.phase().isEmpty() ? "-" : options.phase())
                .put("connected", connected)
                .put("connect_s", seconds)
                .put("conn_per_s", perSecond)
                .put("held", stillOpen)
                .put("rss_before_kib", rssBefore)
                .put("rss_held_kib", rssHeld)
                .put("kib_per_conn", String.format(Locale.ROOT, "%.2f", kibPerConnection))
                .put("cpu_us_per_conn", String.format(Locale.ROOT, "%.1f", cpuMicrosPerConnection))
                .put("lost", 0)
                .put("dup", 0)
                .put("ooo", 0)
                .put("errors", errors.count());
        out.printf(Locale.ROOT, "conn n=%d MQTT %s, %d handshakes at once%n", total, options.version().label, options.concurrency());
        out.printf(Locale.ROOT, "  connected %d of %d in %.2f s: %.0f connections/s; %d still open after %.1f s idle%n",
                connected, total, seconds, perSecond, stillOpen, options.holdSeconds());
        if (kibPerConnection >= 0) {
            out.printf(Locale.ROOT, "  broker RSS %d KiB before, %d KiB with the connections: %.2f KiB per connection%n",
                    rssBefore, rssHeld, kibPerConnection);
        }
        if (cpuMicrosPerConnection >= 0) {
            out.printf(Locale.ROOT, "  broker CPU %d ms while connecting (all its threads): %.1f us per connection%n",
                    cpuMillis, cpuMicrosPerConnection);
        }
        out.printf(Locale.ROOT, "  errors %d (dropped while idle %d)%n", errors.count(), dropped);
        errors.print(out);
        out.println(result.toLine());
        return errors.count() == 0 && connected == total && stillOpen == total ? 0 : 2;
    }
}
