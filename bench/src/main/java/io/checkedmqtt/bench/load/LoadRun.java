package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

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
    private final SequenceTracker[][] trackers; // [subscriber][publisher]
    private final long[] delivered;             // per publisher, unique deliveries to all subscribers
    private final int fan;
    /** Messages a publisher may be ahead of the slowest subscriber it reaches. */
    private final long perPublisherWindow;
    /** Per publisher: what its slowest subscriber had received when last counted (a lower bound). */
    private final long[] slowestReceived;
    private final Histogram latency = new Histogram(60L * SECOND, 3);
    private final long intervalNanos;
    private Selector selector;
    private Phase phase = Phase.SETUP;
    private int opened;
    private int ready;
    private long startNanos;
    private long publishEndNanos;
    private long drainEndNanos;
    private long lastDeliveryNanos;
    private long drainedNanos;
    private long published;
    private long deliveredTotal;
    private long errors;
    private long misrouted;
    private long foreign;
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
        this.trackers = new SequenceTracker[subscribers.length][publishers.length];
        this.delivered = new long[publishers.length];
        this.fan = scenario.deliveriesPerMessage(n);
        this.perPublisherWindow = Math.max(1, options.window() / scenario.publishersPerSubscriber(n));
        this.slowestReceived = new long[publishers.length];
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
                    progress.maybePrint(now, "delivered", deliveredTotal,
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
        c.sendConnect(options.keepAliveSeconds(), Credentials.of(options));
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
                if (!withinWindow(p, c.sent)
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
        if (deliveredTotal < published * fan) {
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
        if (client.role >= 0 || payloadLength < Payload.HEADER) {
            foreign++;
            return;
        }
        final int pub = Payload.publisherId(buf, payloadStart);
        if (pub < 0 || pub >= publishers.length || !scenario.routes(pub, client.index)) {
            misrouted++;
            return;
        }
        SequenceTracker tracker = trackers[client.index][pub];
        if (tracker == null) {
            tracker = new SequenceTracker();
            trackers[client.index][pub] = tracker;
        }
        if (tracker.record(Payload.sequence(buf, payloadStart))) {
            delivered[pub]++;
            deliveredTotal++;
            lastDeliveryNanos = nowNanos;
            final long nanos = nowNanos - Payload.sendNanos(buf, payloadStart);
            latency.recordValue(Math.max(0, Math.min(nanos, latency.getHighestTrackableValue())));
        }
    }

    /**
     * Whether publisher {@code p}, having sent {@code sent} messages, is less than the window ahead
     * of every subscriber it reaches. The window holds per subscriber, not summed over a fan-out:
     * one stalled subscriber among a hundred must stop the publisher before the broker's queue for
     * that subscriber overflows and drops (which would make a throughput run a loss run). The
     * slowest count only grows, so it is recounted only when the cached one says stop.
     */
    private boolean withinWindow(final int p, final long sent) {
        if (sent - slowestReceived[p] < perPublisherWindow) {
            return true;
        }
        long slowest = Long.MAX_VALUE;
        for (int s = 0; s < subscribers.length; s++) {
            if (scenario.routes(p, s)) {
                final SequenceTracker tracker = trackers[s][p];
                slowest = Math.min(slowest, tracker == null ? 0 : tracker.unique());
            }
        }
        slowestReceived[p] = slowest == Long.MAX_VALUE ? sent : slowest;
        return sent - slowestReceived[p] < perPublisherWindow;
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
        return errors + misrouted + foreign;
    }

    // ---- report ----

    private int report() {
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long unexpected = 0;
        for (int s = 0; s < subscribers.length; s++) {
            for (int p = 0; p < publishers.length; p++) {
                if (!scenario.routes(p, s)) {
                    continue;
                }
                final SequenceTracker t = trackers[s][p];
                final long sent = publishers[p].sent;
                if (t == null) {
                    lost += sent;
                    continue;
                }
                lost += t.lost(sent);
                duplicates += t.duplicates();
                outOfOrder += t.outOfOrder();
                unexpected += t.unexpected(sent);
            }
        }
        final double publishSeconds = Math.max(1e-9, (publishEndNanos - startNanos) / 1e9);
        final double deliverSeconds = Math.max(1e-9, (Math.max(lastDeliveryNanos, startNanos) - startNanos) / 1e9);
        final double deliveredPerSecond = deliveredTotal == 0 ? 0 : deliveredTotal / deliverSeconds;
        final long protocolErrors = errors + misrouted + foreign + unexpected;
        final Result result = new Result()
                .put("scenario", scenario.name)
                .put("n", options.clients())
                .put("qos", options.qos())
                .put("payload", options.payload())
                .put("mqtt", options.version().label)
                .put("transport", options.transport())
                .put("rate", Math.round(options.rate()))
                .put("label", options.label().isEmpty() ? "-" : options.label())
                .put("phase", options.phase().isEmpty() ? "-" : options.phase())
                .put("published", published)
                .put("delivered", deliveredTotal)
                .put("publish_s", publishSeconds)
                .put("msgs_per_s", deliveredPerSecond)
                .put("drain_s", drainedNanos / 1e9)
                .put("lost", lost)
                .put("dup", duplicates)
                .put("ooo", outOfOrder)
                .put("errors", protocolErrors)
                .put("p50_us", micros(latency.getValueAtPercentile(50)))
                .put("p99_us", micros(latency.getValueAtPercentile(99)))
                .put("p999_us", micros(latency.getValueAtPercentile(99.9)))
                .put("max_us", micros(latency.getMaxValue()));
        out.printf(Locale.ROOT, "%s: %d publisher(s), %d subscriber(s), QoS %d, %d B, MQTT %s%s%n",
                options.describe(), publishers.length, subscribers.length, options.qos(), options.payload(),
                options.version().label, options.rate() > 0 ? ", " + Math.round(options.rate()) + " msg/s offered" : "");
        out.printf(Locale.ROOT, "  published %d in %.2f s, delivered %d: %.0f msg/s (drained in %.2f s)%n",
                published, publishSeconds, deliveredTotal, deliveredPerSecond, drainedNanos / 1e9);
        out.printf(Locale.ROOT, "  latency%s: p50 %s us, p99 %s us, p99.9 %s us, max %s us%n",
                options.rate() > 0 ? " (from intended send time)" : " (closed loop, from actual send time)",
                result.get("p50_us"), result.get("p99_us"), result.get("p999_us"), result.get("max_us"));
        out.printf(Locale.ROOT, "  errors: lost %d, duplicated %d, out of order %d, other %d%n",
                lost, duplicates, outOfOrder, protocolErrors);
        for (String sample : errorSamples) {
            out.println("    " + sample);
        }
        if (System.getenv("BENCH_DEBUG") != null) {
            for (int p = 0; p < publishers.length; p++) {
                out.printf("    publisher %d: sent %d, deliveries %d, in flight %d%n", p, publishers[p].sent, delivered[p],
                        publishers[p].inflight);
            }
        }
        out.println(result.toLine());
        return lost + duplicates + outOfOrder + protocolErrors == 0 && published > 0 ? 0 : 2;
    }

    private static double micros(final long nanos) {
        return nanos / 1000.0;
    }
}
