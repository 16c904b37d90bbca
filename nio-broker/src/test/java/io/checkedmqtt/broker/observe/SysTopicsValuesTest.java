package io.checkedmqtt.broker.observe;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Publish;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SysTopics} without a broker: which values are due when, and the load averages' arithmetic. */
class SysTopicsValuesTest {

    /** A broker seen from outside: an empty core state, counters the test sets, a clock the test moves. */
    private static final class Scene implements BrokerAccess {
        long now = 1_000_000;
        long packetsIn;
        final Traffic traffic = new Traffic();

        @Override
        public BrokerState state() {
            return new BrokerState();
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public long epochMillis(long coreMillis) {
            return coreMillis;
        }

        @Override
        public long startedAt() {
            return 1_000_000;
        }

        @Override
        public ConnectionFacts connection(ConnectionId id) {
            return null;
        }

        @Override
        public List<PacketTrail.Entry> lastPackets(ConnectionId id) {
            return List.of();
        }

        @Override
        public ShellCounters counters() {
            return new ShellCounters(0, 0, 0, packetsIn, 0, 0, 0, 0, 0);
        }

        @Override
        public Traffic traffic() {
            return traffic;
        }

        @Override
        public LoopTimes loopTimes() {
            return new LoopTimes();
        }

        @Override
        public List<Endpoint> listeners() {
            return List.of();
        }

        @Override
        public void disconnect(String clientId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteRetained(String topic) {
            throw new UnsupportedOperationException();
        }
    }

    private static Map<String, String> asMap(List<Publish> messages) {
        Map<String, String> out = new TreeMap<>();
        for (Publish p : messages) {
            assertTrue(p.retain(), "retained, as Mosquitto's: " + p.topic());
            assertEquals(0, p.qos().value());
            out.put(p.topic(), new String(p.payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    @DisplayName("every value the first time, then only the changed ones: uptime, the counters that moved and their loads")
    void changesOnly() {
        Scene scene = new Scene();
        SysTopics sys = new SysTopics(scene);
        Map<String, String> first = asMap(sys.due(scene.now));
        assertEquals("0 seconds", first.get("$SYS/broker/uptime"));
        assertEquals("0", first.get("$SYS/broker/clients/connected"));
        assertEquals("0.00", first.get("$SYS/broker/load/messages/received/1min"));
        assertTrue(first.size() > 40, "all of them: " + first.size());

        scene.now += 10_000;
        scene.packetsIn = 100;
        Map<String, String> second = asMap(sys.due(scene.now));
        second.keySet().removeIf(topic -> topic.startsWith("$SYS/broker/heap/"));   // the JVM's heap moves by itself
        assertEquals("10 seconds", second.get("$SYS/broker/uptime"));
        assertEquals("100", second.get("$SYS/broker/messages/received"));
        assertEquals("600.00", second.get("$SYS/broker/load/messages/received/1min"), "100 in 10 s is 600 a minute");
        assertEquals(java.util.Set.of("$SYS/broker/uptime", "$SYS/broker/messages/received",
                "$SYS/broker/load/messages/received/1min", "$SYS/broker/load/messages/received/5min",
                "$SYS/broker/load/messages/received/15min"), second.keySet());
    }

    @Test
    @DisplayName("loads: each average moves towards the last interval's per-minute rate by 1 - exp(-interval / window)")
    void loadAverages() {
        Scene scene = new Scene();
        SysTopics sys = new SysTopics(scene);
        sys.due(scene.now);
        scene.now += 60_000;
        scene.packetsIn = 600;
        Map<String, String> busy = sys.values(scene.now);
        sys.due(scene.now);
        assertEquals("600.00", busy.get("$SYS/broker/load/messages/received/15min"), "the first rate seeds every average");
        scene.now += 60_000;
        Map<String, String> quiet = asMap(sys.due(scene.now));
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", 600 * Math.exp(-1)),
                quiet.get("$SYS/broker/load/messages/received/1min"));
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", 600 * Math.exp(-0.2)),
                quiet.get("$SYS/broker/load/messages/received/5min"));
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", 600 * Math.exp(-1.0 / 15)),
                quiet.get("$SYS/broker/load/messages/received/15min"));
    }

    @Test
    @DisplayName("a load is written as String.format(\"%.2f\") writes it: halves round up, no exponent, NaN and Infinity spelled out")
    void twoDecimalsAsTheFormatterWritesThem() {
        java.util.Random random = new java.util.Random(21);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, 0.005, 0.015, 0.125, 1.005, 2.675, 599.995,
                1e-7, 12345678.9, 1e17, 4.35, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY));
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextInt(10_000_000) / 1000.0);                  // exact thousandths: the halves
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(12)));
        }
        for (double value : values) {
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f", value), SysTopics.twoDecimals(value),
                    () -> "for " + value);
        }
    }
}
