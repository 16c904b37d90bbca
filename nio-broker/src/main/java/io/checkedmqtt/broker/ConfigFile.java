package io.checkedmqtt.broker;

import io.checkedmqtt.broker.auth.AuthFiles;
import io.checkedmqtt.broker.clienttest.ClientTestConfig;
import io.checkedmqtt.broker.tls.TlsSettings;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.config.FlowControl;
import io.checkedmqtt.core.config.MemoryBudget;
import io.checkedmqtt.core.packet.QoS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The config file: one setting per line, Mosquitto style ({@code max_inflight_messages 20}) or
 * properties style ({@code max_inflight_messages = 20}); {@code #} starts a comment; a later line
 * wins. {@code listener PORT [ADDRESS]} is accepted as in Mosquitto. An unknown key or a bad value
 * is an error that names the line, never silently ignored. The keys are listed in {@link #KEYS}
 * and documented in nio-broker/README.md.
 */
public final class ConfigFile {

    /** Every key the file may set, documented in nio-broker/README.md ({@link ConfigKeys}). */
    public static final List<ConfigKeys.Key> KEYS = ConfigKeys.ALL;

    private ConfigFile() {
    }

    /** Thrown for a config file the broker cannot use; the message names the line. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    public static BrokerSettings load(Path file, BrokerSettings base) throws IOException, ConfigException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString(), base);
        }
    }

    public static BrokerSettings parse(String text, BrokerSettings base) throws ConfigException {
        try {
            return parse(new StringReader(text), "<text>", base);
        } catch (IOException e) {
            throw new IllegalStateException(e);   // a StringReader does not fail
        }
    }

    static BrokerSettings parse(Reader reader, String source, BrokerSettings base) throws IOException, ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        ListenerSections listeners = new ListenerSections(source);
        ClientTestConfig clientTests = new ClientTestConfig(base.clientTesting());
        BufferedReader lines = new BufferedReader(reader);
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            int split = firstSeparator(content);
            String key = (split < 0 ? content : content.substring(0, split)).strip().toLowerCase(Locale.ROOT);
            String value = split < 0 ? "" : content.substring(split + 1).strip();
            if (value.startsWith("=")) {
                value = value.substring(1).strip();
            }
            if (KEYS.stream().noneMatch(k -> k.name().equals(key))) {
                throw new ConfigException(source + ":" + number + ": unknown setting '" + key + "'");
            }
            if (value.isEmpty()) {
                throw new ConfigException(source + ":" + number + ": setting '" + key + "' has no value");
            }
            if (key.equals("listener")) {
                listeners.startListener(value, number);
            } else if (ListenerSections.KEYS.contains(key)) {
                listeners.put(key, value, number);
            } else if (ClientTestConfig.handles(key)) {
                try {
                    clientTests.apply(key, value);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(source + ":" + number + ": " + key + ": " + e.getMessage());
                }
            } else {
                values.put(key, value);
                lineOf.put(key, number);
            }
        }
        try {
            BrokerSettings global = apply(values, base, key -> source + ":" + lineOf.get(key)).toBuilder()
                    .clientTesting(clientTests.settings()).build();
            return listeners.applyTo(global, values.containsKey("port"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    /**
     * The core's settings as config-file lines, one {@code key value} per setting, so that
     * {@link #parse} over them gives {@code config} back (a core failure report records them).
     */
    static List<String> coreSettings(BrokerConfig c) {
        return List.of(
                "max_packet_size " + c.maximumPacketSize(),
                "receive_maximum " + c.receiveMaximum(),
                "max_inflight_messages " + c.maxInflightMessages(),
                "max_queued_messages " + c.maxQueuedMessages(),
                "max_queued_bytes " + c.maxQueuedBytes(),
                "queue_qos0_messages " + c.queueQos0WhileOffline(),
                "resend_interval_ms " + c.resendIntervalMillis(),
                "resend_max_attempts " + c.resendMaxAttempts(),
                "connect_timeout_ms " + c.connectTimeoutMillis(),
                "max_keepalive " + c.maxKeepAliveSeconds(),
                "topic_alias_maximum " + c.topicAliasMaximum(),
                "outbound_topic_alias_maximum " + c.outboundTopicAliasMaximum(),
                "max_session_expiry " + c.maxSessionExpirySeconds(),
                "retain_available " + c.retainAvailable(),
                "assigned_client_id_prefix " + c.assignedClientIdPrefix(),
                "max_topic_levels " + c.maxTopicLevels(),
                "flow_control_high_water " + c.limits().flowControl().highWater(),
                "flow_control_low_water " + c.limits().flowControl().lowWater(),
                "max_user_properties " + c.budget().maxUserProperties(),
                "budget_sessions " + asLine(c.budget().maxSessions()),
                "budget_session_bytes " + asLine(c.budget().maxSessionBytes()),
                "budget_retained_messages " + asLine(c.budget().maxRetainedMessages()),
                "budget_retained_bytes " + asLine(c.budget().maxRetainedBytes()),
                "budget_queued_messages " + asLine(c.budget().maxQueuedMessages()),
                "budget_queued_bytes " + asLine(c.budget().maxQueuedBytes()),
                "budget_subscription_bytes " + asLine(c.budget().maxSubscriptionBytes()));
    }

    /** A budget as a config file writes it: 0 for no bound. */
    private static long asLine(long budget) {
        return budget == MemoryBudget.UNBOUNDED ? 0 : budget;
    }

    private static int firstSeparator(String content) {
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '=' || Character.isWhitespace(c)) {
                return i;
            }
        }
        return -1;
    }

    interface Where {
        String of(String key);
    }

    private static BrokerSettings apply(Map<String, String> v, BrokerSettings base, Where where)
            throws ConfigException {
        Values in = new Values(v, where);
        BrokerConfig c = base.core();
        BrokerConfig core = c.toBuilder()
                .maximumPacketSize(in.integer("max_packet_size", c.maximumPacketSize(), 2, 268_435_455 + 5))
                .receiveMaximum(in.integer("receive_maximum", c.receiveMaximum(), 1, 65_535))
                .maxInflightMessages(in.integer("max_inflight_messages", c.maxInflightMessages(), 1, 65_535))
                .maxQueuedMessages(in.integer("max_queued_messages", c.maxQueuedMessages(), 0, Integer.MAX_VALUE))
                .maxQueuedBytes(in.longValue("max_queued_bytes", c.maxQueuedBytes(), 0, Long.MAX_VALUE))
                .queueQos0WhileOffline(in.bool("queue_qos0_messages", c.queueQos0WhileOffline()))
                .resendIntervalMillis(in.longValue("resend_interval_ms", c.resendIntervalMillis(), 0, Long.MAX_VALUE))
                .resendMaxAttempts(in.integer("resend_max_attempts", c.resendMaxAttempts(), 0, Integer.MAX_VALUE))
                .connectTimeoutMillis(in.longValue("connect_timeout_ms", c.connectTimeoutMillis(), 1, Long.MAX_VALUE))
                .maxKeepAliveSeconds(in.integer("max_keepalive", c.maxKeepAliveSeconds(), 0, 65_535))
                .topicAliasMaximum(in.integer("topic_alias_maximum", c.topicAliasMaximum(), 0, 65_535))
                .outboundTopicAliasMaximum(in.integer("outbound_topic_alias_maximum",
                        c.outboundTopicAliasMaximum(), 0, 65_535))
                .maxSessionExpirySeconds(in.longValue("max_session_expiry", c.maxSessionExpirySeconds(), 0,
                        4_294_967_295L))
                .retainAvailable(in.bool("retain_available", c.retainAvailable()))
                .assignedClientIdPrefix(in.string("assigned_client_id_prefix", c.assignedClientIdPrefix()))
                .limits(new ClientLimits(
                        Math.max(0, in.integer("max_connections", c.limits().maxConnections(), -1, Integer.MAX_VALUE)),
                        in.integer("max_subscriptions_per_client", c.limits().maxSubscriptionsPerClient(), 0,
                                Integer.MAX_VALUE),
                        in.integer("max_publish_rate", c.limits().maxPublishesPerSecond(), 0, 1_000_000),
                        QoS.of(in.integer("max_qos", c.limits().maximumQos().value(), 0, 2)),
                        flowControl(in, c.limits().flowControl())))
                .maxTopicLevels(in.integer("max_topic_levels", c.maxTopicLevels(), 0, 65_536))
                .budget(budget(in, c.budget()))
                .build();
        PersistenceSettings p = base.persistence();
        PersistenceSettings persistence = p.withEnabled(in.bool("persistence", p.enabled()))
                .withLocation(Path.of(in.string("persistence_location", p.location().toString())))
                .withFsync(in.fsync("fsync", p.fsync()))
                .withCompactBytes(in.longValue("persistence_compact_bytes", p.compactBytes(), 1, Long.MAX_VALUE))
                .withSalvage(in.bool("persistence_salvage", p.salvage()));
        AuthFiles.Sources a = base.auth();
        AuthFiles.Sources auth = new AuthFiles.Sources(in.path("password_file", a.passwordFile()),
                in.path("acl_file", a.aclFile()), in.path("scram_file", a.scramFile()),
                v.containsKey("allow_anonymous") ? (Boolean) in.bool("allow_anonymous", true) : a.allowAnonymous(),
                in.string("clientid_prefixes", a.clientIdPrefix()));
        return base.toBuilder()
                .persistence(persistence)
                .port(in.integer("port", base.port(), 0, 65_535))
                .bindAddress(in.string("bind_address", base.bindAddress()))
                .maxConnections(in.integer("max_sockets", base.maxConnections(), 1, Integer.MAX_VALUE))
                .maxOutboundBytes(in.longValue("max_outbound_bytes", base.maxOutboundBytes(), 1, Long.MAX_VALUE))
                .readBufferBytes(in.integer("read_buffer_bytes", base.readBufferBytes(), 64, 1 << 24))
                .shutdownGraceMillis(in.longValue("shutdown_grace_ms", base.shutdownGraceMillis(), 0, Long.MAX_VALUE))
                .closeLingerMillis(in.longValue("close_linger_ms", base.closeLingerMillis(), 0, Long.MAX_VALUE))
                .busyPollMicros(in.longValue("busy_poll_us", base.busyPollMicros(), 0, BrokerSettings.MAX_BUSY_POLL_MICROS))
                .logConnections(in.bool("log_connections", base.logConnections()))
                .verbose(in.bool("verbose", base.verbose()))
                .http(http(in, base.http()))
                .sysIntervalSeconds(in.integer("sys_interval", base.sysIntervalSeconds(), 0, 86_400))
                .coreFailureDir(in.directoryOrNone("core_failure_dir", base.coreFailureDir()))
                .specTrace(in.directoryOrNone("spec_trace", base.specTrace()))
                .core(core)
                .auth(auth)
                .authReloadIntervalMillis(in.longValue("auth_reload_interval_ms", base.authReloadIntervalMillis(), 0,
                        Long.MAX_VALUE))
                .frameTimeoutMillis(in.longValue("frame_timeout_ms", base.frameTimeoutMillis(), 1, Long.MAX_VALUE))
                .partialBytesBudget(in.bound("budget_partial_bytes", base.partialBytesBudget()))
                .outboundBytesBudget(in.bound("budget_outbound_bytes", base.outboundBytesBudget()))
                .build();
    }

    /** The HTTP listener: {@code http_listener PORT [ADDRESS]} opens it; the {@code http_} limits tune it. */
    private static HttpSettings http(Values in, HttpSettings base) throws ConfigException {
        String listener = in.string("http_listener", null);
        HttpSettings http = base;
        if (listener != null) {
            String[] parts = listener.split("\\s+");
            int port;
            try {
                port = parts.length > 2 ? -1 : Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65_535) {
                throw new ConfigException(in.where().of("http_listener") + ": http_listener takes PORT [ADDRESS]"
                        + " with a port in 0..65535, got '" + listener + "'");
            }
            HttpSettings on = HttpSettings.on(port);
            http = parts.length > 1 ? on.withAddress(parts[1]) : on;
        }
        boolean tuned = in.raw().containsKey("http_max_connections") || in.raw().containsKey("http_request_timeout_ms")
                || in.raw().containsKey("http_idle_timeout_ms");
        if (http == null) {
            if (tuned) {
                throw new ConfigException(in.where().of(in.raw().containsKey("http_max_connections")
                        ? "http_max_connections" : in.raw().containsKey("http_request_timeout_ms")
                        ? "http_request_timeout_ms" : "http_idle_timeout_ms")
                        + ": an http_ setting without an http_listener line");
            }
            return null;
        }
        return http.withLimits(in.integer("http_max_connections", http.maxConnections(), 1, Integer.MAX_VALUE),
                in.longValue("http_request_timeout_ms", http.requestTimeoutMillis(), 1, Long.MAX_VALUE),
                in.longValue("http_idle_timeout_ms", http.idleTimeoutMillis(), 1, Long.MAX_VALUE));
    }

    /** {@code flow_control_high_water} (0: off) and {@code flow_control_low_water} (default: half of it). */
    private static FlowControl flowControl(Values in, FlowControl current) throws ConfigException {
        int high = in.integer("flow_control_high_water", current.highWater(), 0, Integer.MAX_VALUE);
        int lowDefault = high == current.highWater() ? current.lowWater() : high / 2;
        int low = in.integer("flow_control_low_water", lowDefault, 0, Math.max(0, high - 1));
        return new FlowControl(high, low);
    }

    private static MemoryBudget budget(Values in, MemoryBudget b) throws ConfigException {
        return new MemoryBudget(in.bound("budget_sessions", b.maxSessions()),
                in.bound("budget_session_bytes", b.maxSessionBytes()),
                in.bound("budget_retained_messages", b.maxRetainedMessages()),
                in.bound("budget_retained_bytes", b.maxRetainedBytes()),
                in.bound("budget_queued_messages", b.maxQueuedMessages()),
                in.bound("budget_queued_bytes", b.maxQueuedBytes()),
                in.bound("budget_subscription_bytes", b.maxSubscriptionBytes()),
                in.integer("max_user_properties", b.maxUserProperties(), 0, Integer.MAX_VALUE));
    }

    /** Typed reads of the collected values, each checked against its range. */
    record Values(Map<String, String> raw, Where where) {

        String string(String key, String absent) {
            return raw.getOrDefault(key, absent);
        }

        Path path(String key, Path absent) {
            String text = raw.get(key);
            return text == null ? absent : Path.of(text);
        }

        /** A directory (or file), or null for {@code none}. */
        Path directoryOrNone(String key, Path absent) {
            String text = raw.get(key);
            if (text == null) {
                return absent;
            }
            return text.equalsIgnoreCase("none") ? null : Path.of(text);
        }

        long longValue(String key, long absent, long min, long max) throws ConfigException {
            String text = raw.get(key);
            if (text == null) {
                return absent;
            }
            long value;
            try {
                value = Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new ConfigException(where.of(key) + ": " + key + " must be a whole number, was '" + text + "'");
            }
            if (value < min || value > max) {
                throw new ConfigException(where.of(key) + ": " + key + " must be in " + min + ".." + max
                        + ", was " + value);
            }
            return value;
        }

        /** A budget: a positive number, or 0 for no bound. */
        long bound(String key, long absent) throws ConfigException {
            long value = longValue(key, absent, 0, Long.MAX_VALUE);
            return value == 0 ? MemoryBudget.UNBOUNDED : value;
        }

        int integer(String key, int absent, int min, int max) throws ConfigException {
            return (int) longValue(key, absent, min, max);
        }

        FsyncPolicy fsync(String key, FsyncPolicy absent) throws ConfigException {
            String text = raw.get(key);
            if (text == null) {
                return absent;
            }
            try {
                return FsyncPolicy.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where.of(key) + ": " + e.getMessage());
            }
        }

        boolean bool(String key, boolean absent) throws ConfigException {
            String text = raw.get(key);
            if (text == null) {
                return absent;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new ConfigException(where.of(key) + ": " + key + " must be true or false, was '"
                        + text + "'");
            };
        }
    }
}
