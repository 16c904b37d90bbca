package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The {@code fleet} scenario, issue 21's C100K shape at whatever size the machine allows: N
 * clients, MQTT 3.1.1 and 5.0 alternating, each sends CONNECT (Keep Alive {@code --keepalive})
 * and a QoS 1 SUBSCRIBE to one shared topic as soon as its TCP handshake is done; they are held
 * idle for {@code --hold} seconds; one more client publishes a single QoS 1 message to the topic,
 * and the run times until every subscriber has it; then every client sends DISCONNECT and waits
 * for the broker to close the socket. Every subscriber must get the message exactly once, and no
 * connection may end any other way; anything else is counted under errors (exit status 2).
 *
 * <p>With {@code --broker-pid} it reads the broker's resident memory before, once all are
 * subscribed (the memory per connection is the growth until then), after the hold and after the
 * fan-out, and its CPU time per phase.
 */
final class FleetRun implements ClientListener {
    private static final int BUFFER = 256;
    private static final long SECOND = 1_000_000_000L;

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Client> clients = new ArrayList<>();
    private final RunErrors errors = new RunErrors();
    private int[] received = new int[0];
    private int opened;
    private int subscribed;
    private int failed;
    private int gotMessage;
    private int duplicates;
    private int closedClean;
    private boolean published;
    private boolean publishAcked;
    private boolean disconnecting;
    private Client publisher;
    /** The one topic every client subscribes to and the publisher publishes to. */
    private String topic;

    FleetRun(final Options options, final PrintStream out, final PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        final InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        final String runId = Long.toHexString(System.nanoTime());
        topic = "bench/" + runId + "/fleet";
        final int total = options.clients();
        received = new int[total];
        final long pid = options.brokerPid();
        final long rssBefore = BrokerProcess.rssKibibytes(pid);
        final long cpuBefore = BrokerProcess.cpuMillis(pid);
        final Progress progress = new Progress(err, options.quiet(), System.nanoTime());
        try (Selector selector = Selector.open()) {
            // 1. connect and subscribe every client, at most --concurrency handshakes at a time
            final long begin = System.nanoTime();
            final long setupDeadline = begin + (long) (options.setupTimeoutSeconds() * SECOND);
            while (subscribed + failed < total && System.nanoTime() < setupDeadline) {
                while (opened < total && opened - subscribed - failed < options.concurrency()) {
                    final int i = opened++;
                    final MqttVersion version = i % 2 == 0 ? MqttVersion.V311 : MqttVersion.V5;
                    final Client c = new Client(i, "fleet-" + runId + "-c" + i, version, BUFFER, this);
                    clients.add(c);
                    start(c, selector, address, options.sourceAddress(i));
                }
                pass(selector, 100);
                progress.maybePrint(System.nanoTime(), "subscribed", subscribed, "failed " + failed);
            }
            if (subscribed + failed < total) {
                error(null, "timed out with " + subscribed + " of " + total + " subscribed");
            }
            final long setUp = System.nanoTime();
            final long cpuSetUp = BrokerProcess.cpuMillis(pid);
            final long rssSubscribed = BrokerProcess.rssKibibytes(pid);

            // 2. hold them idle (keep-alives only)
            final long holdEnd = setUp + (long) (options.holdSeconds() * SECOND);
            while (System.nanoTime() < holdEnd) {
                pass(selector, Math.max(1, Math.min(500, (holdEnd - System.nanoTime()) / 1_000_000)));
            }
            final long rssHeld = BrokerProcess.rssKibibytes(pid);
            final long cpuHeld = BrokerProcess.cpuMillis(pid);

            // 3. one QoS 1 PUBLISH to the shared topic, received by all
            publisher = new Client(total, "fleet-" + runId + "-pub", MqttVersion.V311, BUFFER, this);
            publisher.role = 1;
            publisher.topic = topic.getBytes(StandardCharsets.UTF_8);
            start(publisher, selector, address, null);
            waitFor(selector, () -> publisher.state == Client.State.CONNECTED || publisher.state == Client.State.CLOSED,
                    options.setupTimeoutSeconds());
            final long fanStart = System.nanoTime();
            if (publisher.state == Client.State.CONNECTED) {
                publisher.publish(1, options.payload(), 0, 0, fanStart);
                publisher.flush();
                published = true;
            }
            waitFor(selector, () -> !published || (gotMessage == subscribed && publishAcked), options.drainSeconds());
            final long fanEnd = System.nanoTime();
            final long cpuFanned = BrokerProcess.cpuMillis(pid);
            final long rssFanned = BrokerProcess.rssKibibytes(pid);
            final int lost = subscribed - gotMessage;
            if (lost > 0) {
                error(null, lost + " subscribers never received the message");
            }
            if (!published) {
                error(publisher, "the publisher could not connect");
            } else if (!publishAcked) {
                error(publisher, "no PUBACK for the message");
            }

            // 4. clean disconnects: DISCONNECT, then the broker closes each socket
            disconnecting = true;
            final long disconnectStart = System.nanoTime();
            int asked = 0;
            for (Client c : clients) {
                if (c.state == Client.State.CONNECTED) {
                    c.sendDisconnect();
                    c.flush();
                    asked++;
                }
            }
            final int expected = asked;
            waitFor(selector, () -> closedClean == expected, options.drainSeconds());
            final long disconnectEnd = System.nanoTime();
            final long cpuClosed = BrokerProcess.cpuMillis(pid);
            if (closedClean < expected) {
                error(null, (expected - closedClean) + " sockets not closed by the broker after DISCONNECT");
            }
            for (Client c : clients) {
                c.close(true, true);
            }
            publisher.close(true, true);
            return report(total, new double[] {
                    seconds(begin, setUp), seconds(fanStart, fanEnd), seconds(disconnectStart, disconnectEnd)},
                    new long[] {rssBefore, rssSubscribed, rssHeld, rssFanned},
                    new long[] {cpuBefore, cpuSetUp, cpuHeld, cpuFanned, cpuClosed}, lost);
        }
    }

    private void start(final Client c, final Selector selector, final InetSocketAddress address,
                       final InetSocketAddress source) {
        try {
            if (c.open(selector, address, source)) {
                greet(c);
            }
        } catch (IOException e) {
            fail(c, "connect failed: " + e.getMessage());
        }
    }

    /** CONNECT, and for a subscriber its SUBSCRIBE right behind it, in one write. */
    private void greet(final Client c) {
        c.sendConnect(options.keepAliveSeconds(), Credentials.of(options), 0);
        if (c != publisher) {
            c.sendSubscribe(topic, 1);
        }
        c.flush();
    }

    private void waitFor(final Selector selector, final BooleanSupplier done, final double seconds) throws IOException {
        final long end = System.nanoTime() + (long) (seconds * SECOND);
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            pass(selector, 50);
        }
    }

    /** One select round; then PINGREQ for clients that sent nothing for half their Keep Alive. */
    private void pass(final Selector selector, final long timeoutMillis) throws IOException {
        selector.select(key -> Client.serve(key, this::greet, this::fail), timeoutMillis);
        final long now = System.nanoTime();
        if (options.keepAliveSeconds() > 0 && !disconnecting) {
            final long quiet = options.keepAliveSeconds() * SECOND / 2;
            for (Client c : clients) {
                if (c.state == Client.State.CONNECTED && now - c.lastSendNanos > quiet) {
                    c.sendPing();
                    c.flush();
                }
            }
        }
    }

    private void fail(final Client c, final String what) {
        error(c, what);
        if (c.state != Client.State.CLOSED) {
            c.close(true, true);
        }
        if (c != publisher) {
            failed++;
        }
    }

    @Override
    public void onConnack(final Client client, final int code) {
        if (code != 0) {
            fail(client, "CONNACK refused with code 0x" + Integer.toHexString(code));
        }
    }

    @Override
    public void onSuback(final Client client, final int worstCode) {
        if (worstCode >= 0x80) {
            fail(client, "SUBACK refused with code 0x" + Integer.toHexString(worstCode));
        } else {
            subscribed++;
        }
    }

    @Override
    public void onMessage(final Client client, final ByteBuffer buf, final int payloadStart, final int payloadLength,
                          final long nowNanos) {
        if (client == publisher || !published) {
            error(client, "a message nobody published yet");
            return;
        }
        if (++received[client.index] == 1) {
            gotMessage++;
        } else {
            duplicates++;
            error(client, "the message a second time");
        }
    }

    @Override
    public void onPublishComplete(final Client client) {
        publishAcked = true;
    }

    @Override
    public void onError(final Client client, final String what) {
        error(client, what);
    }

    @Override
    public void onClosed(final Client client, final boolean expected) {
        if (disconnecting && client.closing) {
            closedClean++;
        } else if (!expected) {
            if (client != publisher && client.state != Client.State.CONNECTED && subscribed + failed < opened) {
                failed++;
            }
            error(client, "connection closed by the broker");
        }
    }

    private void error(final Client client, final String what) {
        errors.add(client, what);
    }

    private static double seconds(final long from, final long to) {
        return Math.max(1e-9, (to - from) / 1e9);
    }

    private static String kib(final long before, final long after, final int n) {
        return before > 0 && after > 0 && n > 0 ? String.format(Locale.ROOT, "%.2f", (after - before) / (double) n) : "-1";
    }

    private static long delta(final long from, final long to) {
        return from >= 0 && to >= 0 ? to - from : -1;
    }

    /**
     * @param times seconds: set-up of all, fan-out, disconnects
     * @param rss   KiB: before, all subscribed, after the hold, after the fan-out
     * @param cpu   broker CPU ms at the same four points and once every socket is closed
     */
    private int report(final int total, final double[] times, final long[] rss, final long[] cpu, final int lost) {
        final Result result = new Result()
                .put("scenario", "fleet")
                .put("n", total)
                .put("qos", 1)
                .put("payload", options.payload())
                .put("mqtt", "mixed")
                .put("transport", options.transport())
                .put("rate", 0)
                .put("label", options.label().isEmpty() ? "-" : options.label())
                .put("phase", options.phase().isEmpty() ? "-" : options.phase())
                .put("subscribed", subscribed)
                .put("setup_s", String.format(Locale.ROOT, "%.2f", times[0]))
                .put("conn_per_s", String.format(Locale.ROOT, "%.0f", subscribed / times[0]))
                .put("fanout_ms", String.format(Locale.ROOT, "%.1f", times[1] * 1000))
                .put("received", gotMessage)
                .put("disconnect_s", String.format(Locale.ROOT, "%.2f", times[2]))
                .put("closed_clean", closedClean)
                .put("rss_before_kib", rss[0])
                .put("rss_subscribed_kib", rss[1])
                .put("rss_held_kib", rss[2])
                .put("rss_fanned_kib", rss[3])
                .put("kib_per_conn", kib(rss[0], rss[1], subscribed))
                .put("cpu_setup_ms", delta(cpu[0], cpu[1]))
                .put("cpu_hold_ms", delta(cpu[1], cpu[2]))
                .put("cpu_fanout_ms", delta(cpu[2], cpu[3]))
                .put("cpu_disconnect_ms", delta(cpu[3], cpu[4]))
                .put("lost", lost)
                .put("dup", duplicates)
                .put("ooo", 0)
                .put("errors", errors.count());
        out.printf(Locale.ROOT, "fleet n=%d (3.1.1 and 5.0 alternating), Keep Alive %d s, %d source addresses%n",
                total, options.keepAliveSeconds(), options.sourceAddresses());
        out.printf(Locale.ROOT, "  %d subscribed in %.2f s; one QoS 1 message reached %d in %.1f ms; %d of them closed"
                + " cleanly after DISCONNECT in %.2f s%n", subscribed, times[0], gotMessage, times[1] * 1000, closedClean,
                times[2]);
        out.printf(Locale.ROOT, "  broker RSS KiB: %d before, %d subscribed, %d after %.0f s idle, %d after the fan-out%n",
                rss[0], rss[1], rss[2], options.holdSeconds(), rss[3]);
        out.printf(Locale.ROOT, "  broker CPU ms: set-up %d, hold %d, fan-out %d, disconnects %d%n",
                delta(cpu[0], cpu[1]), delta(cpu[1], cpu[2]), delta(cpu[2], cpu[3]), delta(cpu[3], cpu[4]));
        out.printf(Locale.ROOT, "  errors %d%n", errors.count());
        errors.print(out);
        out.println(result.toLine());
        return errors.count() == 0 && subscribed == total && gotMessage == total && closedClean == total ? 0 : 2;
    }
}
