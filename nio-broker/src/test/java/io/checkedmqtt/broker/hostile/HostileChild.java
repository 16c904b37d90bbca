package io.checkedmqtt.broker.hostile;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ConfigFile;
import io.checkedmqtt.broker.MqttBroker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The broker of a {@link HostileBroker#childProcess child process}: starts a broker from the
 * config file named on the command line (port 0, quiet), prints {@code port N}, then answers
 * one command per line on standard input: {@code heap} (a full GC, then {@code heap BYTES} used),
 * {@code peak} ({@code peak BYTES}: the heap's peak since the previous {@code peak}, then a fresh
 * start), {@code stats} ({@code stats} and the broker's counters), {@code quit} (stops it and exits 0).
 */
public final class HostileChild {

    private HostileChild() {
    }

    public static void main(String[] args) throws Exception {
        BrokerSettings settings = ConfigFile.load(Path.of(args[0]),
                BrokerSettings.builder().port(0).logConnections(false).coreFailureDir(null).build());
        try (MqttBroker broker = MqttBroker.start(settings)) {
            System.out.println("port " + broker.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                switch (line) {
                    case "heap" -> System.out.println("heap " + heapAfterFullGc());
                    case "peak" -> System.out.println("peak " + peakHeap());
                    case "stats" -> System.out.println("stats " + broker.stats() + " running=" + broker.isRunning());
                    default -> System.out.println("unknown " + line);
                }
                System.out.flush();
            }
        }
    }

    /**
     * The most heap in use since the last call (or since start), then a fresh start: the heap
     * pools' peaks added up. The pools peak at different moments, so this is an upper bound of the
     * real peak, never above the maximum heap; it counts garbage not yet collected too.
     */
    static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
                pool.resetPeakUsage();
            }
        }
        return peak;
    }

    /**
     * Bytes of heap in use after a full collection (System.gc() is one, with the JDK's default
     * collectors). The figure includes the unused rest of the threads' allocation buffers (TLABs):
     * after the loop thread handled large packets that can be a few MB that no object holds
     * (class histograms show it as int[] filler), which is why the checks allow some growth.
     */
    static long heapAfterFullGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
