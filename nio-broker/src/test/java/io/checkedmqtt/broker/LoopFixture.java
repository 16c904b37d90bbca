package io.checkedmqtt.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tests of the loop's side of the contract start from: a broker over a
 * {@link ScriptedCore} and a {@link FakeClock} on a free port, the log it writes, and the clients
 * to close with it when the test ends.
 */
final class LoopFixture implements AutoCloseable {

    final ScriptedCore core = new ScriptedCore();
    final FakeClock clock = new FakeClock();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private MqttBroker broker;

    MqttBroker start(BrokerSettings.Builder settings) throws IOException {
        broker = MqttBroker.start(settings.port(0).build(), clock, core,
                new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        return broker;
    }

    /** A client of the broker, not yet connected, closed when the test ends. */
    TextClient client() throws IOException {
        return closeLater(new TextClient(broker.port()));
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** The bytes the loop's thread has allocated so far (HotSpot's per-thread count). */
    long loopAllocatedBytes() {
        long loop = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("checked-mqtt-loop-" + broker.port())).findFirst().orElseThrow().getId();
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(loop);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
