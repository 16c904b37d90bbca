package io.checkedmqtt.broker;

import io.checkedmqtt.broker.clienttest.ClientTestConfig;
import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.broker.clienttest.FaultRule;
import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.conformance.ClientReport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Client testing at run time, from any thread (tests, the HTTP API): read a client's trace and
 * conformance report, trace more clients, add fault rules and probes, drop the rules. Each call
 * that reads or changes the broker runs on the loop thread at its next pass and returns once it
 * has (at most 10 s); reading a trace reads the lines the loop keeps for it.
 *
 * <pre>{@code
 * ClientTestControl testing = broker.clientTesting();
 * testing.addFault("drop PUBACK out device-* count 1");
 * // ... the client under test publishes ...
 * ClientReport report = testing.report("device-1");
 * }</pre>
 */
public final class ClientTestControl {

    private static final long WAIT_SECONDS = 10;

    private final ConcurrentLinkedQueue<FutureTask<?>> commands = new ConcurrentLinkedQueue<>();
    private final ClientTesting testing;
    private final CoreDriver driver;
    private final Connections connections;
    private final boolean verbose;
    private final Runnable wakeUp;
    /** Loop thread only. */
    private ClientTestSettings settings;

    ClientTestControl(ClientTesting testing, CoreDriver driver, Connections connections, BrokerSettings start,
                      Runnable wakeUp) {
        this.testing = testing;
        this.driver = driver;
        this.connections = connections;
        this.settings = start.clientTesting();
        this.verbose = start.verbose();
        this.wakeUp = wakeUp;
    }

    /** The lines of the client's trace kept in memory, oldest first; empty when it is not traced. */
    public List<String> trace(String clientId) {
        return testing.traces().lines(clientId);
    }

    /** The client's conformance report: its breaches and probe verdicts; empty when it was never watched. */
    public ClientReport report(String clientId) {
        return onLoop(() -> driver.watch().report(clientId));
    }

    /** Every watched client's report, by client identifier. */
    public Map<String, ClientReport> reports() {
        return onLoop(() -> new java.util.TreeMap<>(driver.watch().reports()));
    }

    /** Traces the clients whose identifier matches {@code glob} from now on (connected ones too). */
    public void traceClients(String glob) {
        change(s -> s.withTraceClients(s.traceClients().with(glob)));
    }

    /** Adds a fault rule ({@code drop PUBACK out device-* count 1}; see {@link FaultRule}). */
    public void addFault(String rule) {
        FaultRule parsed = FaultRule.parse(rule);
        change(s -> s.withFault(parsed));
    }

    /** Drops every fault rule; what they hold back is still released when its delay ends. */
    public void clearFaults() {
        change(s -> s.withFaults(List.of()));
    }

    /** Turns on a probe: {@code qos1-retry device- timeout 3000 count 2} (name, prefix, options). */
    public void addProbe(String probe) {
        ClientTestConfig config = new ClientTestConfig(ClientTestSettings.NONE);
        config.applyProbe(probe);
        change(s -> s.withProbe(config.settings().probes().get(0)));
    }

    /** What is traced, faulted and probed now. */
    public ClientTestSettings settings() {
        return onLoop(() -> settings);
    }

    private interface Change {
        ClientTestSettings apply(ClientTestSettings s);
    }

    private void change(Change change) {
        onLoop(() -> {
            settings = change.apply(settings);
            testing.traces().patterns(settings.traceClients());
            testing.injector().rules(settings.faults());
            testing.injector().probes(settings.probes());
            driver.watchChanged(settings.watchConfig(verbose));
            testing.activate();
            for (Connection c : connections.snapshot()) {
                if (c.clientId != null && !c.closed) {
                    testing.refresh(c);
                }
            }
            return null;
        });
    }

    private <T> T onLoop(Callable<T> call) {
        FutureTask<T> task = new FutureTask<>(call);
        commands.add(task);
        wakeUp.run();
        try {
            return task.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker's loop", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker's loop did not answer within " + WAIT_SECONDS + " s"
                    + " (is it stopped?)", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("failed on the broker's loop: " + e.getCause(), e.getCause());
        }
    }

    /** Runs what other threads asked for (loop thread, once per pass). */
    void run(long now) {
        FutureTask<?> task;
        while ((task = commands.poll()) != null) {
            task.run();
        }
    }
}
