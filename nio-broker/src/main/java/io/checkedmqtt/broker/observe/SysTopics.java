package io.checkedmqtt.broker.observe;

import io.checkedmqtt.core.broker.BrokerView;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of the {@code $SYS/broker/...} topics, under Mosquitto's names where the meaning is
 * the same, as text payloads in Mosquitto's formats ({@code 42}, {@code 3600 seconds},
 * {@code 12.34}). Every {@code sys_interval} seconds the loop asks for the messages that are due:
 * every value the first time, then only those that changed since they were last published
 * (uptime always changes), as Mosquitto does. They are retained QoS 0 messages, as Mosquitto's
 * are; the loop hands each to the core ({@code publishFromBroker}), which routes it. Filters that
 * start with a wildcard never match them [MQTT-4.7.2-1]: subscribe to {@code $SYS/#}.
 *
 * <p>The {@code load/.../1min}, {@code 5min} and {@code 15min} values are per-minute rates
 * averaged exponentially over those windows, updated at each interval; Mosquitto's are too.
 */
public final class SysTopics {

    /** The shell's timer key for the next publication. */
    public record Tick() {
    }

    private static final String[] WINDOWS = {"1min", "5min", "15min"};
    private static final double[] WINDOW_SECONDS = {60, 300, 900};

    private final BrokerAccess access;
    private final Map<String, String> published = new HashMap<>();
    /** Per load topic prefix: the counter's value and the time at the last update, and the three averages. */
    private final Map<String, double[]> loads = new HashMap<>();
    private long maximumHeap;

    public SysTopics(BrokerAccess access) {
        this.access = access;
    }

    /** The messages to publish now: every value at the first call, then those that changed. */
    public List<Publish> due(long now) {
        Map<String, String> values = values(now);
        List<Publish> out = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getValue().equals(published.put(e.getKey(), e.getValue()))) {
                out.add(new Publish(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE,
                        true, false, 0, Properties.EMPTY));
            }
        }
        return out;
    }

    /** Every topic and its value now, in a stable order. */
    Map<String, String> values(long now) {
        BrokerView.Totals totals = BrokerView.totals(access.state());
        ShellCounters counters = access.counters();
        Traffic traffic = access.traffic();
        Map<String, String> v = new LinkedHashMap<>();
        String b = "$SYS/broker/";
        v.put(b + "version", "checked-mqtt version " + Version.NUMBER);
        v.put(b + "uptime", (now - access.startedAt()) / 1000 + " seconds");
        v.put(b + "clients/connected", "" + totals.connectedClients());
        v.put(b + "clients/disconnected", "" + (totals.sessions() - totals.connectedClients()));
        v.put(b + "clients/total", "" + totals.sessions());
        v.put(b + "clients/maximum", "" + traffic.maximumConnected());
        v.put(b + "messages/received", "" + counters.packetsIn());
        v.put(b + "messages/sent", "" + counters.packetsOut());
        v.put(b + "messages/stored", "" + (totals.retained() + totals.queued() + totals.inflight()));
        v.put(b + "store/messages/count", "" + (totals.retained() + totals.queued() + totals.inflight()));
        long dropped = traffic.droppedQueueFull() + counters.droppedQos0() + counters.droppedToClosed();
        v.put(b + "publish/messages/received", "" + traffic.messagesIn());
        v.put(b + "publish/messages/sent", "" + traffic.messagesOut());
        v.put(b + "publish/messages/dropped", "" + dropped);
        v.put(b + "publish/bytes/received", "" + traffic.messageBytesIn());
        v.put(b + "publish/bytes/sent", "" + traffic.messageBytesOut());
        v.put(b + "bytes/received", "" + traffic.bytesIn());
        v.put(b + "bytes/sent", "" + traffic.bytesOut());
        v.put(b + "retained messages/count", "" + totals.retained());
        v.put(b + "subscriptions/count", "" + totals.subscriptions());
        Runtime runtime = Runtime.getRuntime();
        long heap = runtime.totalMemory() - runtime.freeMemory();
        maximumHeap = Math.max(maximumHeap, heap);
        v.put(b + "heap/current", "" + heap);
        v.put(b + "heap/maximum", "" + maximumHeap);
        load(v, b + "load/messages/received/", counters.packetsIn(), now);
        load(v, b + "load/messages/sent/", counters.packetsOut(), now);
        load(v, b + "load/publish/received/", traffic.messagesIn(), now);
        load(v, b + "load/publish/sent/", traffic.messagesOut(), now);
        load(v, b + "load/publish/dropped/", dropped, now);
        load(v, b + "load/bytes/received/", traffic.bytesIn(), now);
        load(v, b + "load/bytes/sent/", traffic.bytesOut(), now);
        load(v, b + "load/connections/", traffic.clientsAttached(), now);
        load(v, b + "load/sockets/", counters.connectionsAccepted(), now);
        return v;
    }

    /**
     * The three averages of a counter's per-minute rate: each moves towards the rate of the last
     * interval by {@code 1 - exp(-interval / window)}, starting from the first interval's rate.
     * Asked twice at one time, it updates once.
     */
    private void load(Map<String, String> values, String prefix, long count, long now) {
        double[] state = loads.get(prefix);   // last count, three averages, whether started, last time
        if (state == null) {
            state = new double[] {count, 0, 0, 0, 0, now};
            loads.put(prefix, state);
        } else if (now > state[5]) {
            double seconds = (now - state[5]) / 1000.0;
            double perMinute = (count - state[0]) * 60.0 / seconds;
            for (int i = 0; i < WINDOWS.length; i++) {
                double keep = state[4] == 0 ? 0 : Math.exp(-seconds / WINDOW_SECONDS[i]);
                state[1 + i] = perMinute + keep * (state[1 + i] - perMinute);
            }
            state[0] = count;
            state[4] = 1;
            state[5] = now;
        }
        for (int i = 0; i < WINDOWS.length; i++) {
            values.put(prefix + WINDOWS[i], twoDecimals(state[1 + i]));
        }
    }

    /**
     * {@code 600.00}: what {@code String.format(Locale.ROOT, "%.2f", value)} writes, without the
     * formatter, whose first use at start-up loads the locale data (about 15 ms of a start-up of
     * under 200, for the first pass's $SYS values).
     */
    static String twoDecimals(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);   // NaN, Infinity: as the formatter writes them
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
