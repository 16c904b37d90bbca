package io.checkedmqtt.broker;

import io.checkedmqtt.broker.auth.AuthFiles;
import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.MemoryBudget;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the broker process is told: where to listen, the shell's own limits, and the core's
 * {@link BrokerConfig}. Built from code (embedding, tests) with {@link #builder()} or from the
 * command line and a config file by {@link ConfigFile}.
 *
 * @param bindAddress          address to listen on; 127.0.0.1 by default, as Mosquitto does
 * @param port                 TCP port; 0 picks a free one (read it back from {@link MqttBroker#port()})
 * @param maxConnections       sockets beyond this are accepted and closed at once ({@code max_sockets});
 *                             the MQTT answer to too many clients is the core's {@code max_connections}
 * @param maxOutboundBytes     bytes queued towards one connection before back-pressure starts:
 *                             QoS 0 PUBLISHes are dropped and counted, and the broker stops
 *                             reading from that connection until it drains
 * @param readBufferBytes      bytes read from one socket per wake-up (shared buffer, not per connection)
 * @param shutdownGraceMillis  how long a graceful stop waits for queued bytes to drain
 * @param closeLingerMillis    how long a connection the core closed may take to drain before it is cut
 * @param busyPollMicros       while socket events come closer together than this, how long the loop
 *                             polls before sleeping in select (0 = never; see {@link BusyPoll})
 * @param logConnections       one log line per connection and disconnect
 * @param verbose              also log every packet in and out
 * @param core                 the protocol settings, with the core's memory budgets
 * @param auth                 the password, ACL and SCRAM files and {@code allow_anonymous}; read at
 *                             start into {@code core}'s Authorizer, which they then replace
 * @param authReloadIntervalMillis how often the auth files are checked for changes (0 = only when
 *                             {@link MqttBroker#reloadAuthFiles()} asks)
 * @param plainListener        whether {@code port} is opened: it is unless a config file declares
 *                             only other listeners (as Mosquitto opens only the listeners it is given)
 * @param listeners            further listeners: TLS, WebSocket, other ports
 * @param http                 the HTTP listener (API, metrics, dashboard); null for none
 * @param sysIntervalSeconds   seconds between publications of the {@code $SYS} topics; 0 for none
 * @param persistence          whether and where kept sessions and retained messages survive a restart
 * @param partialBytesBudget   bytes of frames that have not fully arrived, all connections together
 *                             ({@link InboundBudget}); at least {@code core.maximumPacketSize()}
 * @param outboundBytesBudget  bytes queued towards sockets, all connections together ({@link OutboundBudget})
 * @param frameTimeoutMillis   a frame not complete this long after its first byte ends its connection
 * @param coreFailureDir       where a report to replay a failed core step is written
 *                             ({@link CoreFailureReport}); null writes none
 * @param clientTesting        traces, fault rules, probes and conformance reports for clients under test
 * @param specTrace            a file into which every core step is written as the records of
 *                             {@code tla/TraceMqtt.tla}'s trace validation ({@code spec_trace});
 *                             null (the default) records nothing
 */
public record BrokerSettings(String bindAddress, int port, int maxConnections, long maxOutboundBytes,
                             int readBufferBytes, long shutdownGraceMillis, long closeLingerMillis,
                             long busyPollMicros, boolean logConnections, boolean verbose, BrokerConfig core,
                             AuthFiles.Sources auth, long authReloadIntervalMillis, boolean plainListener,
                             List<ListenerSettings> listeners, HttpSettings http, int sysIntervalSeconds,
                             PersistenceSettings persistence, long partialBytesBudget, long outboundBytesBudget,
                             long frameTimeoutMillis, Path coreFailureDir, ClientTestSettings clientTesting,
                             Path specTrace) {

    public static final int DEFAULT_PORT = 1883;
    /** Where core failure reports go unless told otherwise: a directory under the system's temporary one. */
    public static final Path DEFAULT_CORE_FAILURE_DIR =
            Path.of(System.getProperty("java.io.tmpdir"), "checked-mqtt-core-failures");
    /** A poll longer than a millisecond would only burn CPU: select's own timeout is that coarse. */
    public static final long MAX_BUSY_POLL_MICROS = 1_000;
    /** Mosquitto's default {@code sys_interval}. */
    public static final int DEFAULT_SYS_INTERVAL_SECONDS = 10;

    public BrokerSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(clientTesting, "clientTesting");
        if (authReloadIntervalMillis < 0) {
            throw new IllegalArgumentException("auth_reload_interval_ms must not be negative");
        }
        listeners = List.copyOf(listeners);
        if (!plainListener && listeners.isEmpty() && http == null) {
            throw new IllegalArgumentException("no listener to open");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max_sockets must be at least 1, was " + maxConnections);
        }
        if (maxOutboundBytes < 1) {
            throw new IllegalArgumentException("max_outbound_bytes must be at least 1, was " + maxOutboundBytes);
        }
        if (readBufferBytes < 64) {
            throw new IllegalArgumentException("read_buffer_bytes must be at least 64, was " + readBufferBytes);
        }
        if (shutdownGraceMillis < 0 || closeLingerMillis < 0) {
            throw new IllegalArgumentException("grace and linger times must not be negative");
        }
        if (sysIntervalSeconds < 0) {
            throw new IllegalArgumentException("sys_interval must not be negative, was " + sysIntervalSeconds);
        }
        if (busyPollMicros < 0 || busyPollMicros > MAX_BUSY_POLL_MICROS) {
            throw new IllegalArgumentException("busy_poll_us must be in 0.." + MAX_BUSY_POLL_MICROS + ", was "
                    + busyPollMicros);
        }
        if (partialBytesBudget < core.maximumPacketSize()) {
            throw new IllegalArgumentException("budget_partial_bytes (" + partialBytesBudget
                    + ") must be at least max_packet_size (" + core.maximumPacketSize()
                    + "): a larger frame could never be received whole");
        }
        if (outboundBytesBudget < 1 || frameTimeoutMillis < 1) {
            throw new IllegalArgumentException("budget_outbound_bytes and frame_timeout_ms must be at least 1");
        }
    }

    /**
     * The defaults a broker with this maximum heap gets: the core's {@link MemoryBudget#forHeap}, a
     * sixteenth of the heap each for partial frames and for bytes queued towards sockets, and a
     * largest packet that fits the partial-frame budget (268,435,455 bytes, MQTT's largest, from a
     * 4 GiB heap on).
     */
    static Builder builderForHeap(long maxHeapBytes) {
        Builder builder = new Builder();
        long sixteenth = Math.max(maxHeapBytes, 16L << 20) / 16;
        builder.partialBytesBudget = sixteenth;
        builder.outboundBytesBudget = sixteenth;
        builder.core = BrokerConfig.defaults().toBuilder().budget(MemoryBudget.forHeap(maxHeapBytes))
                .maximumPacketSize((int) Math.min(BrokerConfig.defaults().maximumPacketSize(), sixteenth)).build();
        return builder;
    }

    public static BrokerSettings defaults() {
        return builder().build();
    }

    /** A builder whose every value starts at its default, the budgets derived from this JVM's maximum heap. */
    public static Builder builder() {
        return builderForHeap(Runtime.getRuntime().maxMemory());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable helper for building settings in code; every value starts at its default. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private int maxConnections = 100_000;
        private long maxOutboundBytes = 1L << 20;
        private int readBufferBytes = 64 * 1024;
        private long shutdownGraceMillis = 2_000;
        private long closeLingerMillis = 5_000;
        private long busyPollMicros = 50;
        private boolean logConnections = true;
        private boolean verbose;
        private BrokerConfig core = BrokerConfig.defaults();
        private AuthFiles.Sources auth = AuthFiles.Sources.NONE;
        private long authReloadIntervalMillis = 2_000;
        private boolean plainListener = true;
        private List<ListenerSettings> listeners = List.of();
        private HttpSettings http;
        private int sysIntervalSeconds = DEFAULT_SYS_INTERVAL_SECONDS;
        private PersistenceSettings persistence = PersistenceSettings.OFF;
        private long partialBytesBudget = Long.MAX_VALUE;
        private long outboundBytesBudget = Long.MAX_VALUE;
        private long frameTimeoutMillis = 60_000;
        private Path coreFailureDir = DEFAULT_CORE_FAILURE_DIR;
        private ClientTestSettings clientTesting = ClientTestSettings.NONE;
        private Path specTrace;

        private Builder() {
        }

        private Builder(BrokerSettings s) {
            bindAddress = s.bindAddress;
            port = s.port;
            maxConnections = s.maxConnections;
            maxOutboundBytes = s.maxOutboundBytes;
            readBufferBytes = s.readBufferBytes;
            shutdownGraceMillis = s.shutdownGraceMillis;
            closeLingerMillis = s.closeLingerMillis;
            busyPollMicros = s.busyPollMicros;
            logConnections = s.logConnections;
            verbose = s.verbose;
            core = s.core;
            auth = s.auth;
            authReloadIntervalMillis = s.authReloadIntervalMillis;
            plainListener = s.plainListener;
            listeners = s.listeners;
            http = s.http;
            sysIntervalSeconds = s.sysIntervalSeconds;
            persistence = s.persistence;
            partialBytesBudget = s.partialBytesBudget;
            outboundBytesBudget = s.outboundBytesBudget;
            frameTimeoutMillis = s.frameTimeoutMillis;
            coreFailureDir = s.coreFailureDir;
            clientTesting = s.clientTesting;
            specTrace = s.specTrace;
        }

        public Builder bindAddress(String value) {
            bindAddress = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder maxOutboundBytes(long value) {
            maxOutboundBytes = value;
            return this;
        }

        public Builder readBufferBytes(int value) {
            readBufferBytes = value;
            return this;
        }

        public Builder shutdownGraceMillis(long value) {
            shutdownGraceMillis = value;
            return this;
        }

        public Builder closeLingerMillis(long value) {
            closeLingerMillis = value;
            return this;
        }

        public Builder busyPollMicros(long value) {
            busyPollMicros = value;
            return this;
        }

        public Builder logConnections(boolean value) {
            logConnections = value;
            return this;
        }

        public Builder verbose(boolean value) {
            verbose = value;
            return this;
        }

        public Builder core(BrokerConfig value) {
            core = value;
            return this;
        }

        /** Password, ACL and SCRAM files, and {@code allow_anonymous}. */
        public Builder auth(AuthFiles.Sources value) {
            auth = value;
            return this;
        }

        public Builder authReloadIntervalMillis(long value) {
            authReloadIntervalMillis = value;
            return this;
        }

        /** Whether the plain MQTT listener on {@code port} opens (it does by default). */
        public Builder plainListener(boolean value) {
            plainListener = value;
            return this;
        }

        /** Further listeners (TLS, WebSocket), opened next to the plain one. */
        public Builder listeners(List<ListenerSettings> value) {
            listeners = List.copyOf(value);
            return this;
        }

        /** One more listener. */
        public Builder listener(ListenerSettings value) {
            List<ListenerSettings> more = new java.util.ArrayList<>(listeners);
            more.add(value);
            listeners = List.copyOf(more);
            return this;
        }

        /** The HTTP listener (API, metrics, dashboard); null (the default) for none. */
        public Builder http(HttpSettings value) {
            http = value;
            return this;
        }

        /** Seconds between publications of the {@code $SYS} topics (default 10); 0 for none. */
        public Builder sysIntervalSeconds(int value) {
            sysIntervalSeconds = value;
            return this;
        }

        public Builder persistence(PersistenceSettings value) {
            persistence = value;
            return this;
        }

        public Builder partialBytesBudget(long value) {
            partialBytesBudget = value;
            return this;
        }

        public Builder outboundBytesBudget(long value) {
            outboundBytesBudget = value;
            return this;
        }

        public Builder frameTimeoutMillis(long value) {
            frameTimeoutMillis = value;
            return this;
        }

        /** Where core failure reports go; null: nowhere. */
        public Builder coreFailureDir(Path value) {
            coreFailureDir = value;
            return this;
        }

        /** Traces, fault rules, probes and conformance reports for clients under test. */
        public Builder clientTesting(ClientTestSettings value) {
            clientTesting = value;
            return this;
        }

        /** Record every core step for the spec's trace validation into this file; null (the default): off. */
        public Builder specTrace(Path value) {
            specTrace = value;
            return this;
        }

        public BrokerSettings build() {
            return new BrokerSettings(bindAddress, port, maxConnections, maxOutboundBytes, readBufferBytes,
                    shutdownGraceMillis, closeLingerMillis, busyPollMicros, logConnections, verbose, core, auth,
                    authReloadIntervalMillis, plainListener, listeners, http, sysIntervalSeconds, persistence,
                    partialBytesBudget, outboundBytesBudget, frameTimeoutMillis, coreFailureDir, clientTesting,
                    specTrace);
        }
    }
}
