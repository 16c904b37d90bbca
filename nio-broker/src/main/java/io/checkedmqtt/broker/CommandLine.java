package io.checkedmqtt.broker;

import io.checkedmqtt.broker.clienttest.ClientTestConfig;
import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.broker.tls.TlsSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code [--port N] [--bind ADDRESS] [--config FILE] [--test-server] [--test-ca DIR]
 * [--trace GLOB] [--trace-dir DIR] [--report GLOB] [--fault RULE] [--probe PROBE] [--verbose] [--quiet]
 * [--help]}. Options given here win over the config file; the client-testing ones add to it.
 *
 * @param clientTests the client-testing options, as config file settings (key, value), in order
 */
record CommandLine(Integer port, String bind, Path config, boolean verbose, boolean quiet, boolean salvage,
                   boolean help, boolean testServer, Path testCa, List<Map.Entry<String, String>> clientTests) {

    /** The ports of the test-server set, as the test servers people already use open them. */
    static final int TEST_MQTT_PORT = 1883;
    static final int TEST_MQTTS_PORT = 8883;
    static final int TEST_WS_PORT = 8083;
    static final int TEST_WSS_PORT = 8084;
    static final int TEST_HTTP_PORT = HttpSettings.DEFAULT_PORT;

    static final String USAGE = String.join("\n",
            "Usage: java -jar checked-mqtt-broker.jar [options]",
            "",
            "An MQTT 3.1.1 / 5.0 broker with a formally checked protocol core.",
            "",
            "Options:",
            "  --port N          TCP port to listen on (default 1883; 0 = any free port)",
            "  --bind ADDRESS    address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
            "  --config FILE     read settings from FILE (one 'key value' per line; see nio-broker/README.md)",
            "  --test-server     also open 8883 (MQTT over TLS), 8083 (WebSocket, /mqtt) and 8084 (secure",
            "                    WebSocket, /mqtt) next to 1883, with a self-signed test CA: FOR TESTING ONLY;",
            "                    and the dashboard, HTTP API and /metrics on http://127.0.0.1:18083/",
            "  --test-ca DIR     where --test-server keeps its test CA (default ~/.checked-mqtt/test-ca)",
            "  --trace GLOB      trace the packets and decisions of the clients whose id matches GLOB",
            "  --trace-dir DIR   write each traced client's trace to DIR/<client-id>.trace",
            "  --report GLOB     keep a conformance report for the clients whose id matches GLOB",
            "  --fault RULE      a fault rule, e.g. 'drop PUBACK out device-* count 1' (see README)",
            "  --probe PROBE     a probe, e.g. 'qos1-retry device- timeout 3000' (see README)",
            "  --verbose         log every packet in and out, and every decision, as trace lines",
            "  --quiet           no log line per connection",
            "  --salvage         with persistence on: start even if a durable file is damaged in its middle,",
            "                    with what can still be read (the damage is logged)",
            "  --help            print this text and exit",
            "  --scram-entry USER [ITERATIONS]",
            "                    print a scram_file line for USER, the password read from standard input",
            "",
            "Stop with Ctrl-C or SIGTERM: 5.0 clients get DISCONNECT 0x8B (server shutting down).");

    /** Thrown for arguments the broker does not understand; the message says which. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static CommandLine parse(List<String> args) throws UsageException {
        Integer port = null;
        String bind = null;
        Path config = null;
        boolean verbose = false;
        boolean quiet = false;
        boolean salvage = false;
        boolean help = false;
        boolean testServer = false;
        Path testCa = null;
        List<Map.Entry<String, String>> clientTests = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--port", "-p" -> port = parsePort(valueAfter(args, i++));
                case "--bind", "-b" -> bind = valueAfter(args, i++);
                case "--config", "-c" -> config = Path.of(valueAfter(args, i++));
                case "--verbose", "-v" -> verbose = true;
                case "--quiet", "-q" -> quiet = true;
                case "--salvage" -> salvage = true;
                case "--help", "-h" -> help = true;
                case "--test-server" -> testServer = true;
                case "--test-ca" -> testCa = Path.of(valueAfter(args, i++));
                case "--trace" -> clientTests.add(Map.entry("trace_clients", valueAfter(args, i++)));
                case "--trace-dir" -> clientTests.add(Map.entry("trace_directory", valueAfter(args, i++)));
                case "--report" -> clientTests.add(Map.entry("report_clients", valueAfter(args, i++)));
                case "--fault" -> clientTests.add(Map.entry("fault", valueAfter(args, i++)));
                case "--probe" -> clientTests.add(Map.entry("probe", valueAfter(args, i++)));
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (testCa != null && !testServer) {
            throw new UsageException("--test-ca is for --test-server");
        }
        try {
            applyClientTests(clientTests, ClientTestSettings.NONE);   // a bad rule is a usage error, named now
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new CommandLine(port, bind, config, verbose, quiet, salvage, help, testServer, testCa, List.copyOf(clientTests));
    }

    private static ClientTestSettings applyClientTests(List<Map.Entry<String, String>> options,
                                                       ClientTestSettings start) {
        ClientTestConfig config = new ClientTestConfig(start);
        for (Map.Entry<String, String> option : options) {
            if (option.getKey().equals("probe")) {
                config.applyProbe(option.getValue());
            } else {
                config.apply(option.getKey(), option.getValue());
            }
        }
        return config.settings();
    }

    private static String valueAfter(List<String> args, int i) throws UsageException {
        if (i + 1 >= args.size()) {
            throw new UsageException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }

    private static int parsePort(String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException("--port must be a number in 0..65535, was '" + text + "'");
    }

    /** The settings this command line asks for, on top of {@code fromFile} (without --test-server). */
    BrokerSettings applyTo(BrokerSettings fromFile) {
        return applyTo(fromFile, null);
    }

    /**
     * The settings this command line asks for, on top of {@code fromFile}; {@code testTls}: the
     * certificate of the --test-server listeners (the test CA's server certificate).
     */
    BrokerSettings applyTo(BrokerSettings fromFile, TlsSettings testTls) {
        BrokerSettings.Builder builder = fromFile.toBuilder();
        if (testServer) {
            builder.plainListener(true).port(TEST_MQTT_PORT)
                    .listener(ListenerSettings.mqtt(TEST_MQTTS_PORT, testTls))
                    .listener(ListenerSettings.websockets(TEST_WS_PORT, null))
                    .listener(ListenerSettings.websockets(TEST_WSS_PORT, testTls));
            if (fromFile.http() == null) {
                builder.http(HttpSettings.on(TEST_HTTP_PORT));
            }
        }
        if (port != null) {
            // --port opens the plain listener next to those of the config file
            builder.plainListener(true).port(port);
        }
        if (bind != null) {
            builder.bindAddress(bind);
        }
        if (verbose) {
            builder.verbose(true);
        }
        if (quiet) {
            builder.logConnections(false);
        }
        if (!clientTests.isEmpty()) {
            builder.clientTesting(applyClientTests(clientTests, fromFile.clientTesting()));
        }
        if (salvage) {
            builder.persistence(fromFile.persistence().withSalvage(true));
        }
        return builder.build();
    }
}
