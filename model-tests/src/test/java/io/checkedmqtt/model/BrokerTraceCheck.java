package io.checkedmqtt.model;

import io.checkedmqtt.core.config.BrokerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trace validation of the running broker: reads the records nio-broker's {@code spec_trace}
 * setting wrote ({@code SpecEvents}), cuts them into one trace per run of clients (a Paho chain),
 * and has TLC check them against {@code tla/TraceMqtt.tla} with {@code BrokerTraceNext}. A run's
 * trace is every event of its clients, renamed to the spec's client names, up to the moment the
 * run had settled (a byte offset of the file, taken by the test), with the core's sessions of its
 * clients after each step and a final {@code Quiet} event: every packet the server sent has been
 * read, and {@code QuiescentAtEnd} must hold.
 */
public final class BrokerTraceCheck {

    /** One run: its broker client ids mapped to the spec's names, the file offset at which it had settled, its seed. */
    public record Run(Map<String, String> clients, long settledAt, long seed) {
    }

    /** TLC's verdict on a batch; {@code rejection} is null when every trace was matched to its end. */
    public record Verdict(int traces, int events, long states, double tlcSeconds, String rejection) {
    }

    private static final Pattern MATCHED = Pattern.compile("<<\"matched\", (\\d+), (\\d+)>>");

    private BrokerTraceCheck() {
    }

    /** Cut the file into the runs' traces, write them as a trace module into {@code dir}, and run TLC. */
    public static Verdict check(Path file, List<Run> runs, boolean v5, BrokerConfig config, Path dir)
            throws IOException, InterruptedException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<SpecTrace.Event>> traces = new ArrayList<>();
        for (Run run : runs) {
            traces.add(traceOf(text, run));
        }
        int receiveMaximum = config.maxInflightMessages();
        int timedResends = config.resendIntervalMillis() == 0 ? 0 : config.resendMaxAttempts();
        TraceModule.write(dir, traces, v5, new TraceModule.Run(receiveMaximum, timedResends,
                config.maxQueuedMessages(), true));
        long started = System.nanoTime();
        Tlc.Verdict tlc = Tlc.check(dir, TraceModule.NAME);
        double seconds = (System.nanoTime() - started) / 1e9;
        int events = traces.stream().mapToInt(List::size).sum();
        return new Verdict(traces.size(), events, tlc.states(), seconds, rejection(tlc, traces, runs));
    }

    /** Why TLC did not accept every trace, with the events around the first one no branch matched; null if it did. */
    private static String rejection(Tlc.Verdict tlc, List<List<SpecTrace.Event>> traces, List<Run> runs) {
        Map<Integer, Integer> most = new HashMap<>();
        Matcher m = MATCHED.matcher(tlc.output());
        while (m.find()) {
            most.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Math::max);
        }
        if (!tlc.passed()) {
            boolean invariant = tlc.error() != null && tlc.error().startsWith("Invariant");
            return "TLC: " + tlc.error() + (tlc.trace() >= 1 ? " in trace " + tlc.trace() + " after "
                    + tlc.matched() + " events" + (invariant
                    ? around(traces.get(tlc.trace() - 1), tlc.matched() - 1, "the state after this event breaks it")
                    : around(traces.get(tlc.trace() - 1), tlc.matched())) : "")
                    + "\n" + tail(tlc.output());
        }
        for (int t = 1; t <= traces.size(); t++) {
            int matched = most.getOrDefault(t, 0);
            if (matched < traces.get(t - 1).size()) {
                return "trace " + t + " (seed " + runs.get(t - 1).seed() + "): no behaviour of the spec matches more than "
                        + matched + " of its " + traces.get(t - 1).size() + " events" + around(traces.get(t - 1), matched);
            }
        }
        return null;
    }

    private static String around(List<SpecTrace.Event> trace, int matched) {
        return around(trace, matched, "first event the spec does not allow");
    }

    /** The events up to {@code marked} (0-based), which gets {@code why}. */
    private static String around(List<SpecTrace.Event> trace, int marked, String why) {
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, marked - 8); i < Math.min(trace.size(), marked + 1); i++) {
            b.append("\n  ").append(i + 1).append(". ").append(trace.get(i))
                    .append(i == marked ? "   <-- " + why : "");
        }
        return b.toString();
    }

    private static String tail(String output) {
        return output.length() <= 4_000 ? output : "..." + output.substring(output.length() - 4_000);
    }

    /** The events of {@code run}'s clients in the records before {@code run.settledAt()}, then {@code Quiet}. */
    static List<SpecTrace.Event> traceOf(String text, Run run) {
        List<SpecTrace.Event> events = new ArrayList<>();
        Map<String, String> sessions = new LinkedHashMap<>();
        for (String name : run.clients().values()) {
            sessions.put(name, "[held |-> FALSE, keep |-> FALSE, conn |-> FALSE, sub |-> -1, queue |-> <<>>, "
                    + "out |-> <<>>, in2 |-> {}, rs |-> {}]");
        }
        int stepStart = events.size();
        for (String line : text.substring(0, lastStepEnd(text, run.settledAt())).split("\n", -1)) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("E") && run.clients().containsKey(f[2])) {
                events.add(new SpecTrace.Event(f[1], run.clients().get(f[2]), f[3], Integer.parseInt(f[4]),
                        Integer.parseInt(f[5]), Boolean.parseBoolean(f[6]), Boolean.parseBoolean(f[7]),
                        Boolean.parseBoolean(f[8]), f[1].equals("Unmapped") ? f[3] : "", ""));
            } else if (f[0].equals("S") && run.clients().containsKey(f[1])) {
                sessions.put(run.clients().get(f[1]), f[2]);
            } else if (f[0].equals(";")) {
                if (events.size() > stepStart) {
                    int last = events.size() - 1;
                    events.set(last, events.get(last).withState(stateRecord(sessions)));
                }
                stepStart = events.size();
            }
        }
        events.add(new SpecTrace.Event("Quiet", "none", "none", 0, 0, false, false, false, "", ""));
        return events;
    }

    /** The end of the last whole step before {@code limit} (a byte offset; the records are ASCII but for payloads). */
    private static int lastStepEnd(String text, long limit) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int end = (int) Math.min(limit, bytes.length);
        String prefix = new String(bytes, 0, end, StandardCharsets.UTF_8);
        int at = prefix.lastIndexOf("\n;\n");
        return at < 0 ? 0 : at + 3;
    }

    private static String stateRecord(Map<String, String> sessions) {
        List<String> fields = new ArrayList<>();
        sessions.forEach((c, s) -> fields.add(c + " |-> " + s));
        return "[" + String.join(", ", fields) + "]";
    }
}
