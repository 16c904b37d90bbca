package io.checkedmqtt.broker;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line: {@code [--port N] [--bind ADDRESS] [--config FILE] [--verbose] [--quiet] [--help]}.
 * Options given here win over the config file.
 */
record CommandLine(Integer port, String bind, Path config, boolean verbose, boolean quiet, boolean salvage,
                   boolean help) {

    static final String USAGE = String.join("\n",
            "Usage: java -jar checked-mqtt-broker.jar [options]",
            "",
            "An MQTT 3.1.1 / 5.0 broker with a formally checked protocol core.",
            "",
            "Options:",
            "  --port N          TCP port to listen on (default 1883; 0 = any free port)",
            "  --bind ADDRESS    address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
            "  --config FILE     read settings from FILE (one 'key value' per line; see nio-broker/README.md)",
            "  --verbose         log every packet in and out",
            "  --quiet           no log line per connection",
            "  --salvage         with persistence on: start even if a durable file is damaged in its middle,",
            "                    with what can still be read (the damage is logged)",
            "  --help            print this text and exit",
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
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return new CommandLine(port, bind, config, verbose, quiet, salvage, help);
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

    /** The settings this command line asks for, on top of {@code fromFile}. */
    BrokerSettings applyTo(BrokerSettings fromFile) {
        BrokerSettings.Builder builder = fromFile.toBuilder();
        if (port != null) {
            builder.port(port);
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
