package io.checkedmqtt.broker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {

    @Test
    @DisplayName("mosquitto-style and properties-style lines set shell and core settings")
    void parsesBothStyles() throws Exception {
        BrokerSettings s = ConfigFile.parse(String.join("\n",
                "# a comment",
                "listener 18830 0.0.0.0",
                "max_sockets 50",
                "max_connections 40",
                "max_subscriptions_per_client 30",
                "max_publish_rate 20",
                "max_outbound_bytes = 4096   # trailing comment",
                "max_packet_size=1024",
                "max_inflight_messages 5",
                "max_queued_messages 7",
                "queue_qos0_messages true",
                "resend_interval_ms 3000",
                "resend_max_attempts 2",
                "connect_timeout_ms 500",
                "max_keepalive 60",
                "topic_alias_maximum 0",
                "receive_maximum 100",
                "max_session_expiry 3600",
                "retain_available false",
                "verbose yes",
                "log_connections off",
                "busy_poll_us 0",
                "max_topic_levels 32",
                ""), BrokerSettings.defaults());
        assertEquals(18830, s.port());
        assertEquals("0.0.0.0", s.bindAddress());
        assertEquals(50, s.maxConnections());
        assertEquals(new io.checkedmqtt.core.config.ClientLimits(40, 30, 20), s.core().limits());
        assertEquals(4096, s.maxOutboundBytes());
        assertEquals(1024, s.core().maximumPacketSize());
        assertEquals(5, s.core().maxInflightMessages());
        assertEquals(7, s.core().maxQueuedMessages());
        assertTrue(s.core().queueQos0WhileOffline());
        assertEquals(3000, s.core().resendIntervalMillis());
        assertEquals(2, s.core().resendMaxAttempts());
        assertEquals(500, s.core().connectTimeoutMillis());
        assertEquals(60, s.core().maxKeepAliveSeconds());
        assertEquals(0, s.core().topicAliasMaximum());
        assertEquals(100, s.core().receiveMaximum());
        assertEquals(3600, s.core().maxSessionExpirySeconds());
        assertFalse(s.core().retainAvailable());
        assertTrue(s.verbose());
        assertFalse(s.logConnections());
        assertEquals(0, s.busyPollMicros());
        assertEquals(32, s.core().maxTopicLevels());
    }

    @Test
    @DisplayName("the memory budgets: derived from the heap unless set, 0 for no bound, and a packet larger than the partial-frame budget refused")
    void budgets() throws Exception {
        BrokerSettings derived = BrokerSettings.builderForHeap(256L << 20).build();
        assertEquals(16L << 20, derived.partialBytesBudget());
        assertEquals(16L << 20, derived.core().maximumPacketSize(), "a largest packet that fits the budget");
        assertEquals(io.checkedmqtt.core.config.MemoryBudget.forHeap(256L << 20), derived.core().budget());
        BrokerSettings s = ConfigFile.parse(String.join("\n",
                "budget_partial_bytes 2000000", "budget_outbound_bytes 0", "frame_timeout_ms 1500",
                "budget_sessions 10", "budget_session_bytes 20", "budget_retained_messages 30",
                "budget_retained_bytes 40", "budget_queued_messages 50", "budget_queued_bytes 0",
                "budget_subscription_bytes 70", "max_user_properties 60", "max_packet_size 1000000"), derived);
        assertEquals(2_000_000, s.partialBytesBudget());
        assertEquals(Long.MAX_VALUE, s.outboundBytesBudget(), "0: no bound");
        assertEquals(1500, s.frameTimeoutMillis());
        assertEquals(new io.checkedmqtt.core.config.MemoryBudget(10, 20, 30, 40, 50, Long.MAX_VALUE, 70, 60), s.core().budget());
        ConfigFile.ConfigException e = assertThrows(ConfigFile.ConfigException.class,
                () -> ConfigFile.parse("max_packet_size 3000000\nbudget_partial_bytes 2000000", derived));
        assertTrue(e.getMessage().contains("budget_partial_bytes (2000000) must be at least max_packet_size (3000000)"),
                e.getMessage());
    }

    @Test
    @DisplayName("an empty file keeps every default; 127.0.0.1:1883 out of the box")
    void emptyKeepsDefaults() throws Exception {
        BrokerSettings s = ConfigFile.parse("\n# nothing\n", BrokerSettings.defaults());
        assertEquals(BrokerSettings.defaults(), s);
        assertEquals("127.0.0.1", s.bindAddress());
        assertEquals(1883, s.port());
    }

    @Test
    @DisplayName("unknown keys, bad numbers, out-of-range values and bad booleans name the line")
    void errorsNameTheLine() {
        for (String bad : List.of("max_conections 5", "\nport abc", "\n\nport 70000", "verbose maybe",
                "max_inflight_messages 0", "port",
                "busy_poll_us 1001", "busy_poll_us -1")) {
            ConfigFile.ConfigException e = assertThrows(ConfigFile.ConfigException.class,
                    () -> ConfigFile.parse(bad, BrokerSettings.defaults()), bad);
            int line = bad.length() - bad.replace("\n", "").length() + 1;
            assertTrue(e.getMessage().contains("<text>:" + line), e.getMessage());
        }
    }

    @Test
    @DisplayName("every documented key is described in nio-broker/README.md")
    void everyKeyDocumented() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        for (ConfigKeys.Key key : ConfigFile.KEYS) {
            assertTrue(readme.contains("`" + key.name() + "`"), key.name() + " missing from README.md");
        }
    }

    @Test
    @DisplayName("command line options win over the file")
    void commandLineWins() throws Exception {
        BrokerSettings fromFile = ConfigFile.parse("port 1999\nbind_address 0.0.0.0", BrokerSettings.defaults());
        CommandLine cli = CommandLine.parse(List.of("--port", "0", "--verbose"));
        BrokerSettings s = cli.applyTo(fromFile);
        assertEquals(0, s.port());
        assertEquals("0.0.0.0", s.bindAddress());
        assertTrue(s.verbose());
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--port")));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--port", "x")));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--frobnicate")));
        assertTrue(CommandLine.parse(List.of("--help")).help());
    }

    @Test
    @DisplayName("the core's settings written as config lines (a core failure report) parse back to the same settings")
    void coreSettingsRoundTrip() throws Exception {
        io.checkedmqtt.core.config.BrokerConfig odd = io.checkedmqtt.core.config.BrokerConfig.builder()
                .maximumPacketSize(5_000).receiveMaximum(7).maxInflightMessages(3).maxQueuedMessages(11)
                .maxQueuedBytes(99_999).queueQos0WhileOffline(true).resendIntervalMillis(1_500).resendMaxAttempts(4)
                .connectTimeoutMillis(2_500).maxKeepAliveSeconds(30).topicAliasMaximum(5).outboundTopicAliasMaximum(6)
                .maxSessionExpirySeconds(3_600).retainAvailable(false).assignedClientIdPrefix("gen-")
                .maxTopicLevels(12).build();
        for (io.checkedmqtt.core.config.BrokerConfig c : java.util.List.of(odd, io.checkedmqtt.core.config.BrokerConfig.defaults())) {
            BrokerSettings back = ConfigFile.parse(String.join("\n", ConfigFile.coreSettings(c)), BrokerSettings.defaults());
            assertEquals(c, back.core());
        }
    }
}
