package io.checkedmqtt.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;

/**
 * {@code java -jar checked-mqtt-broker.jar [--port 1883] [--bind 127.0.0.1] [--config FILE] [--verbose] [--salvage]}.
 * Exit codes: 0 after a graceful stop (Ctrl-C, SIGTERM), 1 when the broker cannot start (port in
 * use, bad config, a persistence directory it cannot use) or stops on a failure (records it could
 * not make durable), 2 for a bad command line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(Arrays.asList(args));
        } catch (CommandLine.UsageException e) {
            err.println("checked-mqtt: " + e.getMessage());
            err.println(CommandLine.USAGE);
            return 2;
        }
        if (commandLine.help()) {
            out.println(CommandLine.USAGE);
            return 0;
        }
        BrokerSettings settings;
        try {
            BrokerSettings fromFile = commandLine.config() == null ? BrokerSettings.defaults()
                    : ConfigFile.load(commandLine.config(), BrokerSettings.defaults());
            settings = commandLine.applyTo(fromFile);
        } catch (ConfigFile.ConfigException e) {
            err.println("checked-mqtt: bad config: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("checked-mqtt: cannot read config file " + commandLine.config() + ": " + e);
            return 1;
        }
        MqttBroker broker;
        long listeningAt;
        try {
            broker = MqttBroker.start(settings);
            listeningAt = System.currentTimeMillis();
        } catch (PersistenceException e) {
            err.println("checked-mqtt: persistence: " + e.getMessage());
            return 1;
        } catch (BindException e) {
            err.println("checked-mqtt: cannot listen on " + settings.bindAddress() + ":" + settings.port()
                    + ": " + e.getMessage() + " (is another broker running there? try --port)");
            return 1;
        } catch (IOException e) {
            err.println("checked-mqtt: cannot listen on " + settings.bindAddress() + ":" + settings.port() + ": " + e);
            return 1;
        }
        // the JVM's own start time (ms); the process start time from /proc is only accurate to the second
        err.println(Instant.now() + " accepting connections "
                + (listeningAt - ManagementFactory.getRuntimeMXBean().getStartTime()) + " ms after the JVM started");
        Thread hook = new Thread(() -> {
            broker.close();
            // the stop was asked for (SIGTERM, Ctrl-C) and went well: that is a successful exit,
            // not the JVM's default 128+signal
            Runtime.getRuntime().halt(0);
        }, "checked-mqtt-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            broker.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the loop ended without a signal: it failed (logged); exit without the hook's status 0
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return 0;   // the hook stopped the loop; it ends the JVM with status 0
        }
        return 1;
    }
}
