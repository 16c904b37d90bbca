package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the raw results of a comparison ({@code BROKER<TAB>ROUND<TAB>RESULT ...} lines written by
 * compare.sh) into a Markdown table of medians with the ratio this broker / Mosquitto, checked
 * against the targets of the performance issue, and a hand-written SVG bar chart of those ratios.
 */
final class Report {
    static final String THIS = "checked-mqtt";
    static final String MOSQUITTO = "mosquitto";

    private Report() {
    }

    /** One measured quantity of one scenario, for both brokers. */
    record Row(String scenario, String metric, boolean higherIsBetter, Target target,
               List<Double> ours, List<Double> theirs, long ourErrors, long theirErrors) {

        double ourMedian() {
            return median(ours);
        }

        double theirMedian() {
            return median(theirs);
        }

        /** this / Mosquitto, NaN when either side is missing. */
        double ratio() {
            final double a = ourMedian();
            final double b = theirMedian();
            return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
        }

        /** The ratio turned so that above 1 always means this broker did better (for the chart). */
        double advantage() {
            final double r = ratio();
            return higherIsBetter || Double.isNaN(r) || r == 0 ? r : 1 / r;
        }

        String verdict() {
            if (target == null) {
                return "";
            }
            final double r = ratio();
            if (Double.isNaN(r)) {
                return "not measured";
            }
            final boolean met = (target.atLeast ? r >= target.bound : r <= target.bound) && ourErrors == 0;
            return met ? "met" : "**not met**";
        }
    }

    /** A ratio bound from the issue: ratio ≥ bound (throughput) or ≤ bound (latency). */
    record Target(boolean atLeast, double bound) {
        @Override
        public String toString() {
            return (atLeast ? "≥ " : "≤ ") + format(bound);
        }
    }

    static double median(final List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The issue's targets, by scenario key. */
    static Target targetFor(final Result r) {
        final String s = r.get("scenario");
        final int n = Integer.parseInt(r.get("n"));
        final int qos = Integer.parseInt(r.get("qos"));
        final boolean payload64 = "64".equals(r.get("payload"));
        return switch (s) {
            case "pairs" -> payload64 && (n == 1 || n == 10) ? new Target(true, 1.0) : null;
            case "fanout" -> payload64 && n == 100 && qos <= 1 ? new Target(true, 1.0) : null;
            case "fanin" -> payload64 && n == 100 && qos == 1 ? new Target(true, 1.0) : null;
            case "latency" -> qos == 1 && "20000".equals(r.get("rate")) ? new Target(false, 1.5) : null;
            // a fresh JVM compiles its connection path while the fresh run is measured: reported, no target
            case "conn" -> n == 10_000 && !FRESH.equals(phase(r)) ? new Target(true, 1.0) : null;
            default -> null;
        };
    }

    /** The phase compare.sh gives the first {@code conn} run on a newly started broker. */
    static final String FRESH = "fresh";
    /** The phase of a {@code conn} run on a broker that has already taken as many connections. */
    static final String WARMED = "warmed";

    /** What the broker went through before the run ({@code --phase}), or null when not given. */
    static String phase(final Result r) {
        final String phase = r.get("phase");
        return phase == null || phase.equals("-") ? null : phase;
    }

    static String scenarioKey(final Result r) {
        final String s = r.get("scenario");
        final StringBuilder key = new StringBuilder(s).append(" n=").append(r.get("n"));
        if (!s.equals("conn")) {
            key.append(" QoS ").append(r.get("qos")).append(' ').append(r.get("payload")).append(" B");
        }
        if (!"0".equals(r.get("rate"))) {
            key.append(" @").append(r.get("rate")).append("/s");
        }
        if (!"3.1.1".equals(r.get("mqtt"))) {
            key.append(" v").append(r.get("mqtt"));
        }
        final String transport = r.get("transport");
        if (transport != null && !transport.equals("tcp")) {
            key.append(" over ").append(transport);   // raw files from before transports have none
        }
        final String phase = phase(r);
        if (phase != null) {
            key.append(", ").append(phase).append(" broker");
        }
        return key.toString();
    }

    /** Groups raw lines into rows, in the order scenarios first appear. */
    static List<Row> rows(final List<String> rawLines) {
        final Map<String, Map<String, List<Result>>> byKey = new LinkedHashMap<>();
        for (String line : rawLines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final String[] parts = line.split("\t", 3);
            if (parts.length < 3) {
                throw new IllegalArgumentException("expected BROKER<TAB>ROUND<TAB>RESULT: " + line);
            }
            final Result result = Result.parse(parts[2]);
            byKey.computeIfAbsent(scenarioKey(result), k -> new LinkedHashMap<>())
                    .computeIfAbsent(parts[0], k -> new ArrayList<>()).add(result);
        }
        final List<Row> rows = new ArrayList<>();
        byKey.forEach((key, byBroker) -> {
            final List<Result> ours = byBroker.getOrDefault(THIS, List.of());
            final List<Result> theirs = byBroker.getOrDefault(MOSQUITTO, List.of());
            final Result any = ours.isEmpty() ? theirs.get(0) : ours.get(0);
            final Target target = targetFor(any);
            switch (any.get("scenario")) {
                case "latency" -> {
                    rows.add(row(key, "p99 latency (µs)", false, target, ours, theirs, "p99_us"));
                    rows.add(row(key, "p50 latency (µs)", false, null, ours, theirs, "p50_us"));
                    rows.add(row(key, "p99.9 latency (µs)", false, null, ours, theirs, "p999_us"));
                    rows.add(row(key, "max latency (µs)", false, null, ours, theirs, "max_us"));
                }
                case "conn" -> {
                    rows.add(row(key, "connections/s", true, target, ours, theirs, "conn_per_s"));
                    rows.add(row(key, "broker CPU per connection (µs)", false, null, ours, theirs, "cpu_us_per_conn"));
                    // a process that has held connections before keeps the memory it grew for them
                    if (!WARMED.equals(phase(any))) {
                        rows.add(row(key, "RSS per idle connection (KiB)", false, null, ours, theirs, "kib_per_conn"));
                    }
                }
                default -> rows.add(row(key, "msgs/s delivered", true, target, ours, theirs, "msgs_per_s"));
            }
        });
        return rows;
    }

    private static Row row(final String key, final String metric, final boolean higher, final Target target,
                           final List<Result> ours, final List<Result> theirs, final String field) {
        return new Row(key, metric, higher, target, values(ours, field), values(theirs, field), errors(ours), errors(theirs));
    }

    private static List<Double> values(final List<Result> results, final String field) {
        final List<Double> values = new ArrayList<>();
        for (Result r : results) {
            final String v = r.get(field);
            if (v != null) {
                final double d = Double.parseDouble(v);
                if (d >= 0) {
                    values.add(d);
                }
            }
        }
        return values;
    }

    /** Lost + duplicated + out-of-order + protocol errors, summed over runs. */
    static long errors(final List<Result> results) {
        long sum = 0;
        for (Result r : results) {
            for (String k : List.of("lost", "dup", "ooo", "errors")) {
                sum += Long.parseLong(r.values().getOrDefault(k, "0"));
            }
        }
        return sum;
    }

    static String format(final double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String markdown(final List<Row> rows, final Map<String, String> info) {
        final StringBuilder md = new StringBuilder();
        md.append("# Checked MQTT vs Mosquitto: ").append(info.getOrDefault("name", "comparison")).append("\n\n");
        info.forEach((k, v) -> {
            if (!k.equals("name")) {
                md.append("- **").append(k).append("**: ").append(v).append('\n');
            }
        });
        md.append("\nMedians over the runs (the Runs column counts them); ratio = checked-mqtt / Mosquitto. Throughput and connections/s: higher is"
                + " better; latency and memory: lower is better. Errors = lost + duplicated + out-of-order + protocol"
                + " errors over all runs (checked-mqtt / Mosquitto).\n\n");
        md.append("| Scenario | Metric | checked-mqtt | Mosquitto | Ratio | Target | Verdict | Runs | Errors |\n");
        md.append("|---|---|---:|---:|---:|---|---|---:|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.scenario())
                    .append(" | ").append(r.metric())
                    .append(" | ").append(format(r.ourMedian()))
                    .append(" | ").append(format(r.theirMedian()))
                    .append(" | ").append(format(r.ratio()))
                    .append(" | ").append(r.target() == null ? "" : r.target().toString())
                    .append(" | ").append(r.verdict())
                    .append(" | ").append(r.ours().size()).append('/').append(r.theirs().size())
                    .append(" | ").append(r.ourErrors()).append('/').append(r.theirErrors())
                    .append(" |\n");
        }
        return md.toString();
    }

    /**
     * A horizontal bar per headline row, on a logarithmic axis centred on 1×: a bar to the right
     * means checked-mqtt did better by that factor, to the left worse. Logarithmic, because 0.5×
     * and 2× are equally far from even, and one 10× bar must not squash the rest.
     */
    static String svg(final List<Row> rows, final String title) {
        final List<Row> shown = new ArrayList<>();
        for (Row r : rows) {
            if (r.target() != null || r.metric().startsWith("msgs/s") || r.metric().startsWith("connections")
                    || r.metric().startsWith("p99 ")) {
                shown.add(r);
            }
        }
        int lowExp = -1;
        int highExp = 1;
        for (Row r : shown) {
            final double a = r.advantage();
            if (!Double.isNaN(a) && a > 0) {
                lowExp = Math.min(lowExp, (int) Math.floor(log2(a)));
                highExp = Math.max(highExp, (int) Math.ceil(log2(a)));
            }
        }
        final int labelWidth = 330;
        final int plotWidth = 520;
        final int barHeight = 20;
        final int top = 72;
        final int height = top + shown.size() * (barHeight + 8) + 50;
        final int width = labelWidth + plotWidth + 70;
        final double scale = plotWidth / (double) (highExp - lowExp);
        final double one = labelWidth + -lowExp * scale;
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        svg.append("<text x=\"10\" y=\"42\" fill=\"#444\">How many times better (right) or worse (left) checked-mqtt"
                + " did than Mosquitto, median of runs, log scale.</text>\n");
        svg.append("<text x=\"10\" y=\"58\" fill=\"#444\">Latency: Mosquitto p99 / ours."
                + " Green: target met; red: not met; grey: no target.</text>\n");
        for (int e = lowExp; e <= highExp; e++) {
            final double x = one + e * scale;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>%n",
                    x, top - 5, x, height - 40, e == 0 ? "#000" : "#ddd", e == 0 ? "2" : "1"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s×</text>%n",
                    x, height - 25, e >= 0 ? Integer.toString(1 << e) : "1/" + (1 << -e)));
        }
        int y = top;
        for (Row r : shown) {
            final double a = r.advantage();
            final String label = r.scenario() + (r.metric().startsWith("msgs") ? "" : " · " + r.metric());
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    labelWidth - 8, y + barHeight - 5, escape(label)));
            if (!Double.isNaN(a) && a > 0) {
                final String colour = r.target() == null ? "#8a8a8a"
                        : "met".equals(r.verdict()) ? "#3a7d44" : "#c0392b";
                final double end = one + log2(a) * scale;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        Math.min(one, end), y, Math.max(1, Math.abs(end - one)), barHeight, colour));
                // the value sits right of the bar, or right of the 1× line for a bar that goes left
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s×</text>%n",
                        Math.max(end, one) + 4, y + barHeight - 5, format(a)));
            } else {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#888\">not measured</text>%n",
                        one + 4, y + barHeight - 5));
            }
            y += barHeight + 8;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double log2(final double v) {
        return Math.log(v) / Math.log(2);
    }

    private static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** {@code report RAW.tsv --out DIR [--name NAME] [--info KEY=VALUE]...} */
    static int main(final List<String> args, final PrintStream out) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("report needs the raw results file");
        }
        final Path raw = Path.of(args.get(0));
        Path dir = Path.of("bench/results");
        final Map<String, String> info = new LinkedHashMap<>();
        info.put("name", "comparison");
        for (int i = 1; i < args.size(); i++) {
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option without a value: " + args.get(i));
            }
            final String key = args.get(i);
            final String value = args.get(++i);
            switch (key) {
                case "--out" -> dir = Path.of(value);
                case "--name" -> info.put("name", value);
                case "--info" -> {
                    final int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--info expects KEY=VALUE, got " + value);
                    }
                    info.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown report option: " + key);
            }
        }
        info.putIfAbsent("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        try {
            final List<Row> rows = rows(Files.readAllLines(raw, StandardCharsets.UTF_8));
            final String md = markdown(rows, info);
            Files.createDirectories(dir);
            final String name = info.get("name");
            Files.writeString(dir.resolve(name + ".md"), md + "\n![chart](" + name + ".svg)\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(name + ".svg"), svg(rows, "Checked MQTT vs Mosquitto (" + name + ")"),
                    StandardCharsets.UTF_8);
            out.print(md);
            out.println("\nwrote " + dir.resolve(name + ".md") + " and " + dir.resolve(name + ".svg"));
            return 0;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read or write the report: " + e.getMessage(), e);
        }
    }
}
