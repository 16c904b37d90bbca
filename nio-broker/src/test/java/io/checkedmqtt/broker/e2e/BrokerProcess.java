package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.Main;
import io.checkedmqtt.core.broker.BrokerCore;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker as a separate process, started as {@code java -jar} would start it (its main class,
 * on the classes of nio-broker and protocol-core), its log in a file, killed with SIGKILL when a
 * test says so.
 */
final class BrokerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final Path log;
    final int port;

    private BrokerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the broker with these arguments and waits until it listens; its log goes to {@code log}. */
    static BrokerProcess start(Path log, List<String> arguments, long timeoutMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", classPathOf(Main.class, BrokerCore.class),
                Main.class.getName()));
        command.addAll(arguments);
        long before = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < end) {
            String text = Files.readString(log);
            Matcher m = LISTENING.matcher(text.substring((int) Math.min(before, text.length())));
            if (m.find()) {
                return new BrokerProcess(process, log, Integer.parseInt(m.group(1)));
            }
            if (!process.isAlive()) {
                throw new IOException("the broker exited with " + process.exitValue() + ":\n" + text);
            }
            Thread.sleep(10);
        }
        process.destroyForcibly();
        throw new IOException("the broker did not listen within " + timeoutMillis + " ms:\n" + Files.readString(log));
    }

    private static String classPathOf(Class<?>... classes) throws Exception {
        StringBuilder path = new StringBuilder();
        for (Class<?> c : classes) {
            if (path.length() > 0) {
                path.append(File.pathSeparator);
            }
            path.append(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return path.toString();
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no last write; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
