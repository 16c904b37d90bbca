package io.checkedmqtt.broker;

import io.checkedmqtt.broker.tls.TlsSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line: {@code [--port N] [--bind ADDRESS] [--config FILE] [--test-server] [--test-ca DIR]
 * [--verbose] [--quiet] [--help]}. Options given here win over the config file.
 */
record CommandLine(Integer port, String bind, Path config, boolean verbose, boolean quiet, boolean salvage,
                   boolean help,
                   boolean testServer, Path testCa) {

    /** The ports of the test-server set, as the test servers people already use open them. */
    static final int TEST_MQTT_PORT = 1883;
    static final int TEST_MQTTS_PORT = 8883;
    static final int TEST_WS_PORT = 8083;
    static final int TEST_WSS_PORT = 8084;

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
            "                    WebSocket, /mqtt) next to 1883, with a self-signed test CA: FOR TESTING ONLY",
            "  --test-ca DIR     where --test-server keeps its test CA (default ~/.checked-mqtt/test-ca)",
            "  --verbose         log every packet in and out",
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
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (testCa != null && !testServer) {
            throw new UsageException("--test-ca is for --test-server");
        }
        return new CommandLine(port, bind, config, verbose, quiet, salvage, help, testServer, testCa);
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
        if (salvage) {
            builder.persistence(fromFile.persistence().withSalvage(true));
        }
        return builder.build();
    }
}
