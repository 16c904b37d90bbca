package io.checkedmqtt.model.paho;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.model.BrokerTraceCheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running broker's side of the Paho chains, for TLC: the broker records every core step
 * ({@code spec_trace}); after each chain has settled, the size of the file marks the end of its
 * trace; once the broker stopped, {@link BrokerTraceCheck} has TLC validate one trace per chain,
 * the chain's client ids renamed to the chain's client names.
 */
final class BrokerTraceRecording {

    private final Path file;
    private final List<Long> settledAt = new ArrayList<>();
    private final List<Long> seeds = new ArrayList<>();

    BrokerTraceRecording(Path dir) {
        this.file = dir.toAbsolutePath().resolve("spec-trace.txt");
    }

    BrokerSettings.Builder settings(BrokerSettings.Builder builder) {
        return builder.specTrace(file);
    }

    /**
     * The chain of {@code seed} has settled: everything it owed has arrived. The last
     * acknowledgements may still be on their way to the broker, so the chain's trace ends once
     * the file has not grown for 300 ms (at most 5 s; a settled chain's clients only ping, which
     * records nothing).
     */
    void settled(long seed) throws InterruptedException {
        try {
            long size = Files.size(file);
            long stableSince = System.nanoTime();
            long deadline = stableSince + 5_000_000_000L;
            while (System.nanoTime() - stableSince < 300_000_000L && System.nanoTime() < deadline) {
                Thread.sleep(50);
                long now = Files.size(file);
                if (now != size) {
                    size = now;
                    stableSince = System.nanoTime();
                }
            }
            settledAt.add(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        seeds.add(seed);
    }

    /** How many events named {@code action} the broker recorded (in all chains, and after them). */
    long count(String action) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith("E\t" + action + "\t")).count();
        }
    }

    /**
     * TLC's verdict on the chains' traces; {@code ids} holds the broker client ids of the chains
     * in order, {@code names.size()} per chain.
     */
    BrokerTraceCheck.Verdict check(List<String> ids, List<String> names, boolean v5)
            throws IOException, InterruptedException {
        List<BrokerTraceCheck.Run> runs = new ArrayList<>();
        for (int chain = 0; chain < settledAt.size(); chain++) {
            Map<String, String> clients = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                clients.put(ids.get(chain * names.size() + i), names.get(i));
            }
            runs.add(new BrokerTraceCheck.Run(clients, settledAt.get(chain), seeds.get(chain)));
        }
        return BrokerTraceCheck.check(file, runs, v5, BrokerSettings.defaults().core(), file.getParent());
    }
}
