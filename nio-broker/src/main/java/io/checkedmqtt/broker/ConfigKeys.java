package io.checkedmqtt.broker;

import io.checkedmqtt.broker.clienttest.ClientTestConfig;
import io.checkedmqtt.broker.tls.TlsSettings;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.MemoryBudget;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of the config file ({@link ConfigFile}) with what each sets and its default: the list
 * the parser accepts and the table nio-broker/README.md must document (a test holds the two
 * together).
 */
public final class ConfigKeys {

    /** One documented key: its name, what it sets, and its default. */
    public record Key(String name, String meaning, String defaultValue) {
    }

    private static final BrokerSettings D = BrokerSettings.defaults();
    private static final BrokerConfig C = D.core();
    private static final PersistenceSettings P = D.persistence();
    private static final MemoryBudget B = C.budget();

    public static final List<Key> ALL = withClientTesting(List.of(
            new Key("port", "TCP port to listen on (0 = any free port)", "" + D.port()),
            new Key("bind_address", "address to listen on (0.0.0.0 for every interface)", D.bindAddress()),
            new Key("listener", "PORT [ADDRESS]: starts a listener section, as in Mosquitto", "1883 127.0.0.1"),
            new Key("protocol", "listener: mqtt or websockets", "mqtt"),
            new Key("websocket_path", "listener: the path WebSocket clients connect to", ListenerSettings.DEFAULT_WEBSOCKET_PATH),
            new Key("certfile", "listener: PEM certificate chain (server first); turns TLS on", "(none)"),
            new Key("keyfile", "listener: PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)", "(none)"),
            new Key("cafile", "listener: PEM certificates of the authorities client certificates must come from", "(none)"),
            new Key("require_certificate", "listener: clients must present a certificate from cafile (true/false)", "false"),
            new Key("tls_version", "listener: lowest TLS version, tlsv1.2 or tlsv1.3", TlsSettings.DEFAULT_VERSION),
            new Key("keystore", "listener: PKCS#12 file with key and chain, instead of certfile/keyfile", "(none)"),
            new Key("keystore_password", "listener: password of the keystore", "(empty)"),
            new Key("http_listener", "PORT [ADDRESS]: opens the HTTP API, /metrics and the dashboard (address 127.0.0.1 unless given)", "(off)"),
            new Key("http_max_connections", "HTTP connections open at once; one more gets 503", "" + HttpSettings.DEFAULT_MAX_CONNECTIONS),
            new Key("http_request_timeout_ms", "how long an HTTP request may take to arrive before 408", "" + HttpSettings.DEFAULT_REQUEST_TIMEOUT_MILLIS),
            new Key("http_idle_timeout_ms", "how long an idle HTTP connection, or an unread answer, is kept", "" + HttpSettings.DEFAULT_IDLE_TIMEOUT_MILLIS),
            new Key("sys_interval", "seconds between publications of the $SYS topics (0 = none)", "" + D.sysIntervalSeconds()),
            new Key("max_sockets", "sockets beyond this are closed on accept, without a CONNACK", "" + D.maxConnections()),
            new Key("max_connections", "clients connected at once; one more gets CONNACK 0x97 (3.1.1: 0x03) (0 or -1 = no cap)", "0"),
            new Key("max_subscriptions_per_client", "subscriptions one client may hold; one more gets SUBACK 0x97 (3.1.1: 0x80) (0 = no cap)", "0"),
            new Key("max_publish_rate", "PUBLISH packets per second one connection may send; faster gets DISCONNECT 0x96 (0 = no cap)", "0"),
            new Key("allow_anonymous", "clients without a user name may connect (true/false)", "true without a password or SCRAM file, else false"),
            new Key("password_file", "Mosquitto password file (mosquitto_passwd: $7$ or $6$ hashes)", "none"),
            new Key("acl_file", "Mosquitto ACL file (user, topic, pattern lines)", "none"),
            new Key("scram_file", "SCRAM-SHA-256 users for 5.0 enhanced authentication", "none"),
            new Key("clientid_prefixes", "only client ids that start with this may connect; others get CONNACK 0x85 (3.1.1: 0x02)", "none"),
            new Key("max_qos", "the highest QoS supported (0, 1, 2): announced in 5.0 CONNACK, the most a subscription gets; a will asking more is refused (0x9B)", "2"),
            new Key("auth_reload_interval_ms", "check the auth files for changes this often (0 = never)", "" + D.authReloadIntervalMillis()),
            new Key("max_outbound_bytes", "bytes queued towards one client before back-pressure", "" + D.maxOutboundBytes()),
            new Key("read_buffer_bytes", "bytes read from one socket per loop pass", "" + D.readBufferBytes()),
            new Key("shutdown_grace_ms", "how long a stop waits for queued bytes to drain", "" + D.shutdownGraceMillis()),
            new Key("close_linger_ms", "how long a closing connection may take to drain", "" + D.closeLingerMillis()),
            new Key("busy_poll_us", "while events come closer together than this, poll this long before sleeping (0 = never)", "" + D.busyPollMicros()),
            new Key("log_connections", "log one line per connect and disconnect (true/false)", "" + D.logConnections()),
            new Key("verbose", "log every packet in and out (true/false)", "" + D.verbose()),
            new Key("spec_trace", "record every core step into this file for TLA+ trace validation (none = off)", "none"),
            new Key("core_failure_dir", "where a report to replay a failed core step is written (none = nowhere)", "<tmp>/checked-mqtt-core-failures"),
            new Key("max_packet_size", "largest packet accepted from a client, bytes", "" + C.maximumPacketSize()),
            new Key("receive_maximum", "5.0 Receive Maximum: unacknowledged QoS 1/2 PUBLISHes a client may send", "" + C.receiveMaximum()),
            new Key("max_inflight_messages", "QoS 1/2 messages in flight towards one client", "" + C.maxInflightMessages()),
            new Key("max_queued_messages", "messages one session may queue", "" + C.maxQueuedMessages()),
            new Key("max_queued_bytes", "message bytes (payload, topic, properties) one session may queue (0 = no byte bound)", "" + C.maxQueuedBytes()),
            new Key("flow_control_high_water", "messages queued for one connected subscriber at which the publishers of its messages are no longer read, until it drains (0 = off: a full queue drops the newest)", "0"),
            new Key("flow_control_low_water", "queued messages at or below which a held publisher is read again", "half the high water"),
            new Key("queue_qos0_messages", "queue QoS 0 messages for offline persistent sessions (true/false)", "" + C.queueQos0WhileOffline()),
            new Key("resend_interval_ms", "3.1.1 only: resend unacknowledged PUBLISH/PUBREL after this long (0 = only on reconnect)", "" + C.resendIntervalMillis()),
            new Key("resend_max_attempts", "3.1.1 only: timed resends per message", "" + C.resendMaxAttempts()),
            new Key("connect_timeout_ms", "close a socket that sends no CONNECT within this time", "" + C.connectTimeoutMillis()),
            new Key("max_keepalive", "5.0: cap on a client's Keep Alive, seconds (0 = no cap)", "" + C.maxKeepAliveSeconds()),
            new Key("topic_alias_maximum", "5.0: topic aliases a client may use towards the broker", "" + C.topicAliasMaximum()),
            new Key("outbound_topic_alias_maximum", "5.0: topic aliases the broker sets towards one client, within the client's own Topic Alias Maximum (0 = none)", "" + C.outboundTopicAliasMaximum()),
            new Key("max_session_expiry", "5.0: cap on a client's Session Expiry Interval, seconds", "" + C.maxSessionExpirySeconds()),
            new Key("retain_available", "support retained messages (true/false)", "" + C.retainAvailable()),
            new Key("assigned_client_id_prefix", "prefix of identifiers the broker assigns", C.assignedClientIdPrefix()),
            new Key("max_topic_levels", "most levels a topic name or filter may have (0 = no cap); deeper ones are refused (5.0: 0x90 / 0x8F)", "" + C.maxTopicLevels()),
            new Key("max_user_properties", "5.0: User Properties one packet may carry; more gets DISCONNECT (before CONNECT: CONNACK) 0x97", "" + B.maxUserProperties()),
            new Key("frame_timeout_ms", "a frame not complete this long after its first byte closes its connection", "" + D.frameTimeoutMillis()),
            new Key("budget_partial_bytes", "bytes of frames not yet complete, all connections (0 = no bound)", "heap/16"),
            new Key("budget_outbound_bytes", "bytes queued towards sockets, all connections (0 = no bound)", "heap/16"),
            new Key("budget_queued_messages", "messages held for sessions (queued or in flight), all sessions (0 = no bound)", "heap/2048"),
            new Key("budget_queued_bytes", "bytes of those messages (0 = no bound)", "heap/8"),
            new Key("budget_retained_messages", "retained messages (0 = no bound)", "heap/4096"),
            new Key("budget_retained_bytes", "bytes of retained messages (0 = no bound)", "heap/16"),
            new Key("budget_sessions", "kept sessions (Session Expiry above 0, CleanSession 0) (0 = no bound)", "heap/16384"),
            new Key("budget_session_bytes", "client identifiers and wills of all sessions (0 = no bound)", "heap/16"),
            new Key("budget_subscription_bytes", "subscriptions of all sessions, each its filter's length + 96 per level + 128 (0 = no bound)", "heap/16"),
            new Key("persistence", "keep kept sessions, their queued and in-flight messages and retained messages across restarts (true/false)", "" + P.enabled()),
            new Key("persistence_location", "directory of the log and snapshot files (created if missing)", P.location().toString()),
            new Key("fsync", "when the log is forced to disk: pass | interval MS | never", P.fsync().toString()),
            new Key("persistence_compact_bytes", "a log this large is folded into a snapshot and deleted", "" + P.compactBytes()),
            new Key("persistence_salvage", "start even if a file is damaged in its middle, with what can be read (true/false)", "" + P.salvage())));

    /** The keys above and those of client testing ({@link ClientTestConfig}), which may repeat. */
    private static List<Key> withClientTesting(List<Key> keys) {
        List<Key> all = new ArrayList<>(keys);
        for (String[] k : ClientTestConfig.KEYS) {
            all.add(new Key(k[0], k[1], "(none)"));
        }
        return List.copyOf(all);
    }

    private ConfigKeys() {
    }
}
