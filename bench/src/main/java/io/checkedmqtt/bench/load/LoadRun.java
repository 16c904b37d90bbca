package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The message scenarios (pairs, fanin, fanout, latency) on one selector thread.
 *
 * <p>Phases: connect every client (at most {@code concurrency} attempts at once) and subscribe;
 * publish until {@code duration} or {@code count}; drain until every message sent has arrived
 * or {@code drain} runs out; disconnect. Publishers are held back by two windows so that neither
 * this tool nor the broker's queue overflows, which would turn a throughput test into a loss test:
 * QoS 1/2 PUBLISHes awaiting their acknowledgement ({@code inflight}, also capped by the broker's
 * Receive Maximum), and messages sent but not yet delivered to every subscriber ({@code window}
 * per subscriber, shared by the publishers that reach it).
 *
 * <p>With {@code rate > 0} the run is open loop: message k of a publisher is due at
 * {@code start + k / rate} and carries that intended time, so a stall of the broker or of the
 * windows shows in the latency instead of slowing the clock down (no coordinated omission).
 */
final class LoadRun implements ClientListener {
    private static final int BURST = 64;
    private static final int BUFFER = 64 * 1024;
    private static final long SECOND = 1_000_000_000L;

    private enum Phase { SETUP, PUBLISHING, DRAINING, DONE }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final Scenario scenario;
    private final String runId;
    private final Client[] publishers;
    private final Client[] subscribers;
    private final List<Client> all = new ArrayList<>();
    private final List<Client> dirty = new ArrayList<>();
    private final Deliveries deliveries;
    private final int fan;
    private final long intervalNanos;
    private Selector selector;
    private Phase phase = Phase.SETUP;
    private int opened;
    private int ready;
    private long startNanos;
    private long publishEndNanos;
    private long drainEndNanos;
    private long drainedNanos;
    private long published;
    private long errors;
    private final List<String> errorSamples = new ArrayList<>();
    private long now;

    LoadRun(final Options options, final PrintStream out, final PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.scenario = options.scenario();
        this.runId = Long.toHexString(System.nanoTime() ^ ProcessHandle.current().pid() << 40);
        final int n = options.clients();
        this.publishers = new Client[scenario.publishers(n)];
        this.subscribers = new Client[scenario.subscribers(n)];
        this.fan = scenario.deliveriesPerMessage(n);
        this.deliveries = new Deliveries(scenario, subscribers.length, publishers.length,
                Math.max(1, options.window() / scenario.publishersPerSubscriber(n)));
        final double perPublisherRate = options.rate() / publishers.length;
        this.intervalNanos = options.rate() > 0 ? Math.max(1, Math.round(SECOND / perPublisherRate)) : 0;
        for (int s = 0; s < subscribers.length; s++) {
            subscribers[s] = new Client(s, "bench-" + runId + "-s" + s, options.version(), BUFFER, this, options.wire().create());
            subscribers[s].role = -1;
            all.add(subscribers[s]);
        }
        for (int p = 0; p < publishers.length; p++) {
            publishers[p] = new Client(p, "bench-" + runId + "-p" + p, options.version(), BUFFER, this, options.wire().create());
            publishers[p].role = 1;
            publishers[p].topic = scenario.topic(runId, p).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            all.add(publishers[p]);
        }
    }

    /** Runs to the end and returns the exit status: 0 clean, 2 with errors. */
    int run() throws IOException {
        final InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        final long begin = System.nanoTime();
        final long setupDeadline = begin + (long) (options.setupTimeoutSeconds() * SECOND);
        final long hardDeadline = setupDeadline + (long) ((options.durationSeconds() + options.drainSeconds() + 5) * SECOND);
        Progress progress = new Progress(err, true, begin);
        long lastPing = begin;
        try (Selector sel = Selector.open()) {
            selector = sel;
            now = begin;
            while (phase != Phase.DONE) {
                openMore(address);
                final long wakeAt = produce();
                flushDirty();
                final long timeoutNanos = wakeAt - System.nanoTime();
                if (timeoutNanos <= 0) {
                    selector.selectNow(this::handleKey);
                } else if (timeoutNanos > 2_000_000) {
                    selector.select(this::handleKey, Math.min(100, timeoutNanos / 1_000_000 - 1));
                } else if (selector.selectNow(this::handleKey) == 0) {
                    // Paced runs: Selector.select has millisecond resolution, and spinning would take
                    // a core from the broker, so nap in steps of at most 50 µs. This bounds what the
                    // tool adds to a measured latency at about one step, for every broker alike.
                    LockSupport.parkNanos(Math.min(timeoutNanos, 50_000));
                }
                now = System.nanoTime();
                flushDirty();
                if (phase == Phase.SETUP) {
                    if (ready == all.size()) {
                        startNanos = now;
                        publishEndNanos = now + (long) (options.durationSeconds() * SECOND);
                        phase = Phase.PUBLISHING;
                        progress = new Progress(err, options.quiet(), now);
                    } else if (now > setupDeadline) {
                        error(null, "setup timed out: " + ready + " of " + all.size() + " clients ready");
                        break;
                    }
                } else {
                    progress.maybePrint(now, "delivered", deliveries.total(),
                            "published " + published + " errors " + totalErrors());
                }
                if (phase == Phase.PUBLISHING && (now >= publishEndNanos || allCountsSent())) {
                    phase = Phase.DRAINING;
                    publishEndNanos = now;
                    drainEndNanos = now + (long) (options.drainSeconds() * SECOND);
                }
                if (phase == Phase.DRAINING && (drained() || now >= drainEndNanos)) {
                    phase = Phase.DONE;
                    drainedNanos = now - publishEndNanos;
                }
                if (now > hardDeadline) {
                    error(null, "hard deadline reached");
                    break;
                }
                if (now - lastPing > SECOND) {
                    lastPing = now;
                    pingIdle();
                }
            }
            for (Client c : all) {
                if (c.state == Client.State.CONNECTED) {
                    c.sendDisconnect();
                    c.flush();
                }
                c.close(true);
            }
        }
        return report();
    }

    private void openMore(final InetSocketAddress address) throws IOException {
        while (opened < all.size() && opened - ready < options.concurrency()) {
            final Client c = all.get(opened++);
            try {
                if (c.open(selector, address, null)) {
                    connected(c);
                }
            } catch (IOException e) {
                error(c, "connect failed: " + e.getMessage());
                c.close(false);
            }
        }
    }

    private void connected(final Client c) {
        c.sendConnect(options.keepAliveSeconds(), Credentials.of(options), options.sessionExpiry());
        markDirty(c);
    }

    private void handleKey(final SelectionKey key) {
        final Client c = (Client) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isConnectable()) {
                c.finishConnect();
                if (c.tcpConnected()) {
                    connected(c);
                }
            }
        } catch (IOException e) {
            error(c, "connect failed: " + e.getMessage());
            c.close(false);
            return;
        }
        if (key.isValid() && key.isReadable()) {
            // one clock read per read() call: the receive time of every message in this batch
            now = System.nanoTime();
            if (c.read(now) && c.hasPendingOutput()) {
                markDirty(c);
            }
        }
        if (key.isValid() && key.isWritable()) {
            c.flush();
        }
    }

    private void markDirty(final Client c) {
        if (!c.queuedForFlush) {
            c.queuedForFlush = true;
            dirty.add(c);
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            final Client c = dirty.get(i);
            c.queuedForFlush = false;
            c.flush();
        }
        dirty.clear();
    }

    /**
     * Encodes what the publishers may send now. Returns when the loop should look again: now when
     * a publisher was cut off by the burst limit, at the next due time in paced runs, else later.
     */
    private long produce() {
        final long clock = System.nanoTime();
        long wakeAt = clock + 100_000_000L;
        if (phase != Phase.PUBLISHING) {
            return phase == Phase.SETUP ? clock + 1_000_000L : Math.min(wakeAt, drainEndNanos);
        }
        wakeAt = Math.min(wakeAt, publishEndNanos);
        final int qos = options.qos();
        final int size = options.payload();
        for (int p = 0; p < publishers.length; p++) {
            final Client c = publishers[p];
            if (c.state != Client.State.CONNECTED) {
                continue;
            }
            final int length = MqttEncoder.publishLength(c.version, qos, c.topic.length, size);
            int burst = 0;
            while (c.sent < options.count()) {
                if (burst == BURST) {
                    wakeAt = clock;
                    break;
                }
                long stamp = clock;
                if (intervalNanos > 0) {
                    // publishers are spread evenly over one interval
                    stamp = startNanos + intervalNanos * p / publishers.length + c.sent * intervalNanos;
                    if (stamp > clock) {
                        wakeAt = Math.min(wakeAt, stamp);
                        break;
                    }
                }
                if (!deliveries.withinWindow(p, c.sent)
                        || !c.mayPublish(qos, options.inflight())
                        || !c.hasRoomFor(length)) {
                    break;
                }
                c.publish(qos, size, p, c.sent, stamp);
                c.sent++;
                published++;
                burst++;
            }
            if (burst > 0) {
                markDirty(c);
            }
        }
        return wakeAt;
    }

    private boolean allCountsSent() {
        for (Client p : publishers) {
            if (p.sent < options.count()) {
                return false;
            }
        }
        return true;
    }

    private boolean drained() {
        if (deliveries.total() < published * fan) {
            return false;
        }
        for (Client p : publishers) {
            if (p.inflight > 0) {
                return false;
            }
        }
        return true;
    }

    private void pingIdle() {
        if (options.keepAliveSeconds() == 0) {
            return;
        }
        final long idle = options.keepAliveSeconds() * SECOND / 2;
        for (Client c : all) {
            if (c.state == Client.State.CONNECTED && now - c.lastSendNanos > idle) {
                c.sendPing();
                markDirty(c);
            }
        }
    }

    // ---- ClientListener ----

    @Override
    public void onConnack(final Client client, final int code) {
        if (code != 0) {
            error(client, "CONNACK refused with code 0x" + Integer.toHexString(code));
            client.close(false);
            return;
        }
        if (client.role < 0) {
            client.sendSubscribe(scenario.filter(runId, client.index), options.qos());
            markDirty(client);
        } else {
            ready++;
        }
    }

    @Override
    public void onSuback(final Client client, final int worstCode) {
        if (worstCode >= 0x80) {
            error(client, "SUBSCRIBE refused with code 0x" + Integer.toHexString(worstCode));
            return;
        }
        ready++;
    }

    @Override
    public void onMessage(final Client client, final ByteBuffer buf, final int payloadStart, final int payloadLength,
                          final long nowNanos) {
        deliveries.record(client, buf, payloadStart, payloadLength, nowNanos);
    }

    @Override
    public void onPublishComplete(final Client client) {
        // the in-flight count lives in the client; produce() looks at it next pass
    }

    @Override
    public void onError(final Client client, final String what) {
        error(client, what);
    }

    @Override
    public void onClosed(final Client client, final boolean expected) {
        if (!expected && phase != Phase.DONE) {
            error(client, "connection closed by the broker or the network");
        }
        if (phase == Phase.SETUP && !expected) {
            // a client that never became ready would hold the run in setup until the timeout
            phase = Phase.DONE;
        }
    }

    private void error(final Client client, final String what) {
        errors++;
        if (errorSamples.size() < 10) {
            errorSamples.add((client == null ? "" : client.clientId + ": ") + what);
        }
    }

    private long totalErrors() {
        return errors + deliveries.stray();
    }

    // ---- report ----

    private int report() {
        return LoadSummary.print(options, new LoadSummary.Outcome(publishers, subscribers.length, published,
                deliveries, errors, errorSamples, startNanos, publishEndNanos, drainedNanos), out);
    }
}
