package io.checkedmqtt.bench.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The end of a message run: a few lines for the reader, then the {@link Result} line for the scripts. */
final class LoadSummary {

    /** What a finished run measured; times are {@link System#nanoTime()} readings. */
    record Outcome(Client[] publishers, int subscribers, long published, Deliveries deliveries, long errors,
                   List<String> errorSamples, long startNanos, long publishEndNanos, long drainedNanos) {
    }

    private LoadSummary() {
    }

    /** Prints the summary of {@code run} and returns the exit status: 0 clean, 2 with errors. */
    static int print(final Options options, final Outcome run, final PrintStream out) {
        final Deliveries deliveries = run.deliveries();
        final Deliveries.Tally tally = deliveries.tally(run.publishers());
        final Histogram latency = deliveries.latency();
        final long deliveredTotal = deliveries.total();
        final double publishSeconds = Math.max(1e-9, (run.publishEndNanos() - run.startNanos()) / 1e9);
        final double deliverSeconds = Math.max(1e-9,
                (Math.max(deliveries.lastNanos(), run.startNanos()) - run.startNanos()) / 1e9);
        final double deliveredPerSecond = deliveredTotal == 0 ? 0 : deliveredTotal / deliverSeconds;
        final long protocolErrors = run.errors() + deliveries.stray() + tally.unexpected();
        final Result result = new Result()
                .put("scenario", options.scenario().name)
                .put("n", options.clients())
                .put("qos", options.qos())
                .put("payload", options.payload())
                .put("mqtt", options.version().label)
                .put("transport", options.transport())
                .put("rate", Math.round(options.rate()))
                .put("label", options.label().isEmpty() ? "-" : options.label())
                .put("phase", options.phase().isEmpty() ? "-" : options.phase())
                .put("published", run.published())
                .put("delivered", deliveredTotal)
                .put("publish_s", publishSeconds)
                .put("msgs_per_s", deliveredPerSecond)
                .put("drain_s", run.drainedNanos() / 1e9)
                .put("lost", tally.lost())
                .put("dup", tally.duplicates())
                .put("ooo", tally.outOfOrder())
                .put("errors", protocolErrors)
                .put("p50_us", micros(latency.getValueAtPercentile(50)))
                .put("p99_us", micros(latency.getValueAtPercentile(99)))
                .put("p999_us", micros(latency.getValueAtPercentile(99.9)))
                .put("max_us", micros(latency.getMaxValue()));
        out.printf(Locale.ROOT, "%s: %d publisher(s), %d subscriber(s), QoS %d, %d B, MQTT %s%s%n",
                options.describe(), run.publishers().length, run.subscribers(), options.qos(), options.payload(),
                options.version().label, options.rate() > 0 ? ", " + Math.round(options.rate()) + " msg/s offered" : "");
        out.printf(Locale.ROOT, "  published %d in %.2f s, delivered %d: %.0f msg/s (drained in %.2f s)%n",
                run.published(), publishSeconds, deliveredTotal, deliveredPerSecond, run.drainedNanos() / 1e9);
        out.printf(Locale.ROOT, "  latency%s: p50 %s us, p99 %s us, p99.9 %s us, max %s us%n",
                options.rate() > 0 ? " (from intended send time)" : " (closed loop, from actual send time)",
                result.get("p50_us"), result.get("p99_us"), result.get("p999_us"), result.get("max_us"));
        out.printf(Locale.ROOT, "  errors: lost %d, duplicated %d, out of order %d, other %d%n",
                tally.lost(), tally.duplicates(), tally.outOfOrder(), protocolErrors);
        for (String sample : run.errorSamples()) {
            out.println("    " + sample);
        }
        if (System.getenv("BENCH_DEBUG") != null) {
            for (int p = 0; p < run.publishers().length; p++) {
                final Client publisher = run.publishers()[p];
                out.printf("    publisher %d: sent %d, deliveries %d, in flight %d%n", p, publisher.sent,
                        deliveries.byPublisher(p), publisher.inflight);
            }
        }
        out.println(result.toLine());
        final long bad = tally.lost() + tally.duplicates() + tally.outOfOrder() + protocolErrors;
        return bad == 0 && run.published() > 0 ? 0 : 2;
    }

    private static double micros(final long nanos) {
        return nanos / 1000.0;
    }
}
