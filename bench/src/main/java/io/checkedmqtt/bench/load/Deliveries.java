package io.checkedmqtt.bench.load;

import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * What the subscribers of a message run received: per subscriber and publisher, which sequence
 * numbers arrived (so loss, duplicates and order are known at the end), the latency of each first
 * arrival, and what no publisher of this run could have sent to that subscriber. It also keeps
 * the publishers' window: how far a publisher may run ahead of the slowest subscriber it reaches.
 */
final class Deliveries {
    private static final long SECOND = 1_000_000_000L;

    /** Loss, duplicates, order and invalid sequence numbers over every stream, counted at the end. */
    record Tally(long lost, long duplicates, long outOfOrder, long unexpected) {
    }

    private final Scenario scenario;
    private final SequenceTracker[][] trackers; // [subscriber][publisher]
    private final long[] byPublisher;           // unique deliveries to all subscribers
    /** Messages a publisher may be ahead of the slowest subscriber it reaches. */
    private final long perPublisherWindow;
    /** Per publisher: what its slowest subscriber had received when last counted (a lower bound). */
    private final long[] slowestReceived;
    private final Histogram latency = new Histogram(60L * SECOND, 3);
    private long total;
    private long lastNanos;
    private long misrouted;
    private long foreign;

    Deliveries(final Scenario scenario, final int subscribers, final int publishers, final long perPublisherWindow) {
        this.scenario = scenario;
        this.trackers = new SequenceTracker[subscribers][publishers];
        this.byPublisher = new long[publishers];
        this.perPublisherWindow = perPublisherWindow;
        this.slowestReceived = new long[publishers];
    }

    /** A PUBLISH arrived at {@code client} at {@code nowNanos}; its payload starts at {@code payloadStart}. */
    void record(final Client client, final ByteBuffer buf, final int payloadStart, final int payloadLength,
                final long nowNanos) {
        if (client.role >= 0 || payloadLength < Payload.HEADER) {
            foreign++;
            return;
        }
        final int pub = Payload.publisherId(buf, payloadStart);
        if (pub < 0 || pub >= byPublisher.length || !scenario.routes(pub, client.index)) {
            misrouted++;
            return;
        }
        SequenceTracker tracker = trackers[client.index][pub];
        if (tracker == null) {
            tracker = new SequenceTracker();
            trackers[client.index][pub] = tracker;
        }
        if (tracker.record(Payload.sequence(buf, payloadStart))) {
            byPublisher[pub]++;
            total++;
            lastNanos = nowNanos;
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
    boolean withinWindow(final int p, final long sent) {
        if (sent - slowestReceived[p] < perPublisherWindow) {
            return true;
        }
        long slowest = Long.MAX_VALUE;
        for (int s = 0; s < trackers.length; s++) {
            if (scenario.routes(p, s)) {
                final SequenceTracker tracker = trackers[s][p];
                slowest = Math.min(slowest, tracker == null ? 0 : tracker.unique());
            }
        }
        slowestReceived[p] = slowest == Long.MAX_VALUE ? sent : slowest;
        return sent - slowestReceived[p] < perPublisherWindow;
    }

    /** Every stream a publisher's messages should have reached, against what each publisher sent. */
    Tally tally(final Client[] publishers) {
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long unexpected = 0;
        for (int s = 0; s < trackers.length; s++) {
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
        return new Tally(lost, duplicates, outOfOrder, unexpected);
    }

    /** Unique deliveries so far, to every subscriber. */
    long total() {
        return total;
    }

    /** Unique deliveries of publisher {@code p}'s messages, to every subscriber. */
    long byPublisher(final int p) {
        return byPublisher[p];
    }

    /** When the last new message arrived. */
    long lastNanos() {
        return lastNanos;
    }

    /** Messages that no publisher of this run could have sent to their receiver. */
    long stray() {
        return misrouted + foreign;
    }

    Histogram latency() {
        return latency;
    }
}
