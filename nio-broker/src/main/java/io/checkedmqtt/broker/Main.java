package io.checkedmqtt.broker;

import io.checkedmqtt.broker.auth.AuthFileException;
import io.checkedmqtt.broker.auth.ScramEntryTool;
import io.checkedmqtt.broker.tls.TestServerCertificates;
import io.checkedmqtt.broker.tls.TlsSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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
        long started = System.nanoTime();
        System.exit(run(args, System.out, System.err, started));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.nanoTime());
    }

    /**
     * The start-up line counts from {@code startedNanos}, when {@code main} began. (The JVM's own
     * start time is one {@code ManagementFactory} call away, but that call loads the platform
     * MBeans: about 20 ms of CPU in a start-up of under 200.)
     */
    private static int run(String[] args, PrintStream out, PrintStream err, long startedNanos) {
        if (args.length > 0 && args[0].equals("--scram-entry")) {
            try {
                return ScramEntryTool.run(Arrays.copyOfRange(args, 1, args.length),
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, err);
            } catch (IOException e) {
                err.println("checked-mqtt: cannot read the password: " + e);
                return 1;
            }
        }
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
            TlsSettings testTls = null;
            if (commandLine.testServer()) {
                Path directory = commandLine.testCa() != null ? commandLine.testCa()
                        : TestServerCertificates.defaultDirectory();
                try {
                    testTls = TestServerCertificates.ensure(directory);
                } catch (IOException e) {
                    err.println("checked-mqtt: cannot write the test CA to " + directory + ": " + e);
                    return 1;
                }
                err.println("checked-mqtt: test server: TLS on " + CommandLine.TEST_MQTTS_PORT + " and "
                        + CommandLine.TEST_WSS_PORT + " with the self-signed test CA "
                        + TestServerCertificates.caFile(directory).toAbsolutePath()
                        + " (FOR TESTING ONLY; give it to clients, e.g. mosquitto_sub --cafile)");
            }
            settings = commandLine.applyTo(fromFile, testTls);
        } catch (GeneralSecurityException e) {
            err.println("checked-mqtt: cannot make the test CA: " + e);
            return 1;
        } catch (ConfigFile.ConfigException e) {
            err.println("checked-mqtt: bad config: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("checked-mqtt: cannot read config file " + commandLine.config() + ": " + e);
            return 1;
        }
        MqttBroker broker;
        long listeningAtNanos;
        try {
            broker = MqttBroker.start(settings);
            listeningAtNanos = System.nanoTime();
        } catch (PersistenceException e) {
            err.println("checked-mqtt: persistence: " + e.getMessage());
            return 1;
        } catch (BindException e) {
            // the message names the listener's address (Listener.bind)
            err.println("checked-mqtt: cannot listen on " + e.getMessage()
                    + " (is another broker running there? try --port)");
            return 1;
        } catch (AuthFileException e) {
            err.println("checked-mqtt: bad auth file: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            // a certificate or key file of a TLS listener that cannot be used, or a socket that cannot be opened
            err.println("checked-mqtt: cannot start: " + e.getMessage());
            return 1;
        }
        err.println(Instant.now() + " accepting connections "
                + (listeningAtNanos - startedNanos) / 1_000_000 + " ms after main() began");
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
