package io.checkedmqtt.bench.load;

import io.checkedmqtt.bench.load.wire.TlsSettings;
import io.checkedmqtt.bench.load.wire.Wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line settings of one load run. Every run is bounded: by {@code duration} and
 * {@code count} while publishing, by {@code drain} afterwards and by {@code setupTimeout} while
 * connecting, so the tool always stops by itself.
 */
record Options(
        Scenario scenario,
        String host,
        int port,
        MqttVersion version,
        int qos,
        int payload,
        int clients,
        double durationSeconds,
        long count,
        double rate,
        int window,
        int inflight,
        double drainSeconds,
        double setupTimeoutSeconds,
        int keepAliveSeconds,
        double holdSeconds,
        int concurrency,
        int sourceAddresses,
        long brokerPid,
        String label,
        String phase,
        String username,
        String password,
        boolean quiet,
        String transport,
        Wire.Factory wire,
        long sessionExpiry) {

    /**
     * The local address client {@code index} connects from: with {@code --source-addresses K},
     * 127.0.0.1 to 127.0.0.K in turn (each has its own ephemeral ports); null lets the kernel pick.
     */
    InetSocketAddress sourceAddress(final int index) {
        return sourceAddresses <= 1 ? null : new InetSocketAddress("127.0.0." + (1 + index % sourceAddresses), 0);
    }

    static final String USAGE = """
            usage: java -jar checked-mqtt-bench.jar SCENARIO [options]
              scenarios:
                pairs     N publisher->subscriber pairs on distinct topics       (-n N, default 1)
                fanin     N publishers -> 1 subscriber on a wildcard              (-n N, default 10)
                fanout    1 publisher -> N subscribers                            (-n N, default 10)
                latency   N pairs at a fixed total rate (open loop)               (-n N, default 1; --rate, default 20000)
                conn      open N connections as fast as possible, hold them idle  (-n N, default 1000)
                fleet     N subscribers of one topic, 3.1.1 and 5.0 alternating, held idle; then one
                          QoS 1 PUBLISH all of them receive; then clean disconnects (-n N, default 1000)
                report    RAW.tsv --out DIR [--machine TEXT] [--mosquitto-version V] [--command TEXT]
              options:
                --host H (127.0.0.1)  --port P (1883)  --mqtt 3.1.1|5 (3.1.1)  --qos 0|1|2 (0)
                --payload BYTES (64, at least 20)  -n N  --duration S (10)  --count MSGS per publisher (no limit)
                --rate MSGS/S total, 0 = as fast as the windows allow (0; latency: 20000)
                --window W  end-to-end messages in flight per subscriber (64)
                --inflight I  unacknowledged QoS 1/2 PUBLISHes per publisher (64; also capped by Receive Maximum)
                --drain S (5)  --setup-timeout S (30)  --keepalive S (60)
                --hold S  conn, fleet: how long to hold the connections idle (5)
                --concurrency C  conn, fleet: connection attempts in progress at once (32)
                --source-addresses K  conn, fleet: spread the clients over 127.0.0.1 .. 127.0.0.K as source
                              addresses (1; loopback has about 28,000 ephemeral ports per address)
                --broker-pid PID  conn, fleet: read the broker's RSS (/proc/PID/status) and CPU time (/proc/PID/stat)
                --label TEXT  added to the RESULT line   --quiet  no progress lines
                --phase TEXT  what the broker went through before this run (e.g. fresh, warmed);
                              the report keeps runs of different phases apart
                --username U  --password P  credentials in every CONNECT (none by default)
                --session-expiry S  keep each client's session (3.1.1 CleanSession 0; 5.0 Clean Start 0 and
                               Session Expiry Interval S seconds); 0, the default: sessions end with their connection
              transports (default: MQTT over TCP):
                --cafile FILE  MQTT over TLS, trusting the CA certificates in FILE (PEM); the broker's
                               name is checked against --host   --tls-version TLSv1.2|TLSv1.3 (JDK default)
                --ws PATH      MQTT over WebSocket at PATH (e.g. /mqtt); with --cafile: secure WebSocket
            exit status: 0 = clean run, 2 = lost/duplicated/out-of-order messages or protocol errors, 1 = usage
            """;

    static Options parse(final List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("missing scenario");
        }
        final Scenario scenario = Scenario.parse(args.get(0));
        final Map<String, String> values = new HashMap<>();
        boolean quiet = false;
        for (int i = 1; i < args.size(); i++) {
            final String key = args.get(i);
            if (key.equals("--quiet")) {
                quiet = true;
                continue;
            }
            if (!key.startsWith("-") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected an option with a value at: " + key);
            }
            values.put(key.equals("-n") ? "--clients" : key, args.get(++i));
        }
        final Options options = new Options(
                scenario,
                take(values, "--host", "127.0.0.1"),
                integer(take(values, "--port", "1883"), 1, 65_535, "--port"),
                MqttVersion.parse(take(values, "--mqtt", "3.1.1")),
                integer(take(values, "--qos", "0"), 0, 2, "--qos"),
                integer(take(values, "--payload", "64"), Payload.HEADER, 256 * 1024 * 1024, "--payload"),
                integer(take(values, "--clients", Integer.toString(scenario.defaultClients)), 1, 1_000_000, "-n"),
                decimal(take(values, "--duration", "10"), 0.1, 86_400, "--duration"),
                longValue(take(values, "--count", Long.toString(Integer.MAX_VALUE)), 1, Integer.MAX_VALUE, "--count"),
                decimal(take(values, "--rate", scenario == Scenario.LATENCY ? "20000" : "0"), 0, 1e9, "--rate"),
                integer(take(values, "--window", "64"), 1, 1_000_000, "--window"),
                integer(take(values, "--inflight", "64"), 1, 65_535, "--inflight"),
                decimal(take(values, "--drain", "5"), 0, 3_600, "--drain"),
                decimal(take(values, "--setup-timeout", "30"), 0.1, 3_600, "--setup-timeout"),
                integer(take(values, "--keepalive", "60"), 0, 65_535, "--keepalive"),
                decimal(take(values, "--hold", "5"), 0, 86_400, "--hold"),
                integer(take(values, "--concurrency", "32"), 1, 100_000, "--concurrency"),
                integer(take(values, "--source-addresses", "1"), 1, 254, "--source-addresses"),
                longValue(take(values, "--broker-pid", "0"), 0, Long.MAX_VALUE, "--broker-pid"),
                take(values, "--label", ""),
                take(values, "--phase", ""),
                take(values, "--username", null),
                take(values, "--password", null),
                quiet,
                "tcp",
                Wire.PLAIN,
                longValue(take(values, "--session-expiry", "0"), 0, 4_294_967_295L, "--session-expiry"));
        final Options withWire = withTransport(options, values.remove("--cafile"), values.remove("--tls-version"),
                values.remove("--ws"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + values.keySet());
        }
        if (scenario == Scenario.LATENCY && options.rate <= 0) {
            throw new IllegalArgumentException("latency needs --rate above 0");
        }
        return withWire;
    }

    private static Options withTransport(final Options o, final String caFile, final String tlsVersion,
                                         final String wsPath) {
        if (caFile == null && tlsVersion != null) {
            throw new IllegalArgumentException("--tls-version needs --cafile");
        }
        if (wsPath != null && !wsPath.startsWith("/")) {
            throw new IllegalArgumentException("--ws expects a path starting with '/', got " + wsPath);
        }
        if (caFile == null && wsPath == null) {
            return o;
        }
        final String host = o.host.equals("127.0.0.1") ? "localhost" : o.host;
        final Wire.Factory wire;
        final String transport;
        if (caFile == null) {
            wire = Wire.webSocket(o.host, wsPath);
            transport = "ws";
        } else {
            final TlsSettings tls;
            try {
                tls = TlsSettings.trusting(Path.of(caFile), host, tlsVersion);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            wire = wsPath == null ? Wire.tls(tls) : Wire.secureWebSocket(tls, o.host, wsPath);
            transport = (wsPath == null ? "tls" : "wss") + (tlsVersion == null ? "" : "-" + tlsVersion);
        }
        return new Options(o.scenario, o.host, o.port, o.version, o.qos, o.payload, o.clients, o.durationSeconds,
                o.count, o.rate, o.window, o.inflight, o.drainSeconds, o.setupTimeoutSeconds, o.keepAliveSeconds,
                o.holdSeconds, o.concurrency, o.sourceAddresses, o.brokerPid, o.label, o.phase, o.username, o.password,
                o.quiet, transport, wire, o.sessionExpiry);
    }

    private static String take(final Map<String, String> values, final String key, final String fallback) {
        final String value = values.remove(key);
        return value == null ? fallback : value;
    }

    private static int integer(final String text, final int min, final int max, final String name) {
        return (int) longValue(text, min, max, name);
    }

    private static long longValue(final String text, final long min, final long max, final String name) {
        final long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a whole number, got " + text, e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static double decimal(final String text, final double min, final double max, final String name) {
        final double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a number, got " + text, e);
        }
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** The settings that identify a run in the RESULT line. */
    String describe() {
        return String.format(Locale.ROOT, "%s n=%d qos=%d payload=%d mqtt=%s%s%s",
                scenario.name, clients, qos, payload, version.label,
                rate > 0 ? " rate=" + Math.round(rate) : "",
                transport.equals("tcp") ? "" : " transport=" + transport);
    }
}
