package io.checkedmqtt.broker.hostile;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.Main;
import io.checkedmqtt.broker.MqttBroker;
import io.checkedmqtt.core.broker.BrokerCore;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The broker a hostile-client test attacks, and how it measures it. Two kinds:
 * <ul>
 *   <li>{@link #childProcess(String, List)}: a broker in a JVM of its own, with the maximum heap
 *       given ({@code -Xmx}) and settings as config-file lines. Its heap after a full GC is its
 *       own, undisturbed by the tests running beside it in the test JVM; it can run out of memory
 *       and exit without taking the tests along ({@link #exitCode()}). The suite's default.</li>
 *   <li>{@link #inProcess(UnaryOperator)}: an embedded {@link MqttBroker}, quicker to start; its heap
 *       figure is the whole test JVM's, so only a coarse bound makes sense with it.</li>
 * </ul>
 */
public final class HostileBroker implements AutoCloseable {

    private final MqttBroker embedded;
    private final Process child;
    private final PrintStream commands;
    private final BufferedReader answers;
    private final Path configFile;
    private final int port;

    private HostileBroker(MqttBroker embedded, Process child, Path configFile) throws IOException {
        this.embedded = embedded;
        this.child = child;
        this.configFile = configFile;
        if (child == null) {
            this.commands = null;
            this.answers = null;
            this.port = embedded.port();
            return;
        }
        this.commands = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = answers.readLine();
        if (first == null || !first.startsWith("port ")) {
            child.destroyForcibly();
            throw new IOException("the child broker did not start: " + first);
        }
        this.port = Integer.parseInt(first.substring(5));
    }

    /** A broker in its own JVM with {@code -Xmx<maxHeap>} (for example "256m") and these config-file lines. */
    public static HostileBroker childProcess(String maxHeap, List<String> configLines) throws IOException {
        Path config = Files.createTempFile("hostile-broker", ".conf");
        Files.write(config, configLines, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", classPathOf(Main.class, BrokerCore.class, HostileChild.class),
                HostileChild.class.getName(), config.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new HostileBroker(null, process, config);
    }

    /** An embedded broker on a free port with the default settings, changed by {@code settings}. */
    public static HostileBroker inProcess(UnaryOperator<BrokerSettings.Builder> settings) throws IOException {
        BrokerSettings.Builder base = BrokerSettings.builder().port(0).logConnections(false).coreFailureDir(null);
        return new HostileBroker(MqttBroker.start(settings.apply(base).build()), null, null);
    }

    public int port() {
        return port;
    }

    /** Bytes of heap the broker's JVM uses after a full collection (in-process: the test JVM's). */
    public long heapAfterFullGc() throws IOException {
        if (child == null) {
            return HostileChild.heapAfterFullGc();
        }
        return Long.parseLong(ask("heap").substring(5));
    }

    /**
     * The most heap the broker used since the previous call, garbage included (an upper bound: see
     * {@link HostileChild#peakHeap}); in-process: the test JVM's.
     */
    public long peakHeap() throws IOException {
        if (child == null) {
            return HostileChild.peakHeap();
        }
        return Long.parseLong(ask("peak").substring(5));
    }

    /** The broker's counters as a line of text. */
    public String stats() throws IOException {
        return child == null ? embedded.stats().toString() : ask("stats");
    }

    public boolean isRunning() {
        return child == null ? embedded.isRunning() : child.isAlive();
    }

    /** The child's exit code once it has ended within {@code millis}, or null (in-process: always null). */
    public Integer exitCode(long millis) throws InterruptedException {
        if (child == null || !child.waitFor(millis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        return child.exitValue();
    }

    private synchronized String ask(String command) throws IOException {
        if (!child.isAlive()) {
            throw new IOException("the child broker has exited with " + child.exitValue());
        }
        commands.println(command);
        String answer = answers.readLine();
        if (answer == null) {
            throw new IOException("the child broker went away while asked for " + command);
        }
        return answer;
    }

    @Override
    public void close() throws IOException {
        if (child == null) {
            embedded.close();
            return;
        }
        try {
            if (child.isAlive()) {
                commands.println("quit");
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(configFile);
        }
    }

    /** The class path a child JVM needs to load these classes: where each was loaded from (target/classes). */
    public static String classPathOf(Class<?>... classes) {
        List<String> path = new ArrayList<>();
        for (Class<?> c : classes) {
            try {
                path.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, path);
    }
}
