package io.checkedmqtt.core.config;

import io.checkedmqtt.core.auth.Authorizer;

import java.util.Objects;

/**
 * Every protocol setting of the broker, as one immutable value. The shell builds it from the
 * command line and config file; the core reads it and nothing else. Build one with
 * {@link #builder()}, which starts from the defaults, naming only the settings that differ:
 * {@code BrokerConfig.builder().maxInflightMessages(3).build()}.
 *
 * @param maximumPacketSize         largest packet the server accepts, in bytes (5.0 Maximum Packet Size)
 * @param receiveMaximum            5.0: QoS 1/2 PUBLISHes a client may have unacknowledged towards the server
 * @param maxInflightMessages       QoS 1/2 messages in flight towards one client (3.1.1; 5.0 also honours the client's Receive Maximum)
 * @param maxQueuedMessages         messages one session may queue (offline, or waiting for an in-flight slot)
 * @param maxQueuedBytes            payload bytes one session may queue; 0 means no byte bound
 * @param queueQos0WhileOffline     queue QoS 0 messages for offline kept sessions (off: the spec's default behaviour)
 * @param resendIntervalMillis      3.1.1 only: resend unacknowledged PUBLISH/PUBREL after this long; 0 turns it off
 * @param resendMaxAttempts         3.1.1 only: how many timed resends per message
 * @param connectTimeoutMillis      close a connection that sends no CONNECT within this time
 * @param maxKeepAliveSeconds       5.0: a larger client Keep Alive is lowered with Server Keep Alive; 0 means no cap
 * @param topicAliasMaximum         5.0: topic aliases a client may use towards the server (its CONNACK Topic Alias Maximum)
 * @param outboundTopicAliasMaximum 5.0: topic aliases the server may set towards one client, within the client's own
 *                                  Topic Alias Maximum; 0 means the server sends none
 * @param maxSessionExpirySeconds   5.0: cap on a client's Session Expiry Interval
 * @param retainAvailable           retained messages supported
 * @param assignedClientIdPrefix    prefix of server-assigned client identifiers (5.0, and 3.1.1 empty ids)
 * @param limits                    caps on connections, and per client on subscriptions and publish rate
 * @param authorizer                who may connect, and what each client may read and write
 * @param maxTopicLevels            most levels a Topic Name or Topic Filter may have; 0 means no cap. A
 *                                  deeper filter is refused in SUBACK (5.0 0x8F Topic Filter invalid,
 *                                  3.1.1 0x80), a deeper Topic Name in PUBACK / PUBREC (5.0 0x90 Topic
 *                                  Name invalid) or, where no code can say so, acknowledged and dropped
 * @param budget                    what clients can make the broker hold, all sessions together, and User
 *                                  Properties per packet ({@link MemoryBudget}); the broker derives it from its heap
 */
public record BrokerConfig(
        int maximumPacketSize,
        int receiveMaximum,
        int maxInflightMessages,
        int maxQueuedMessages,
        long maxQueuedBytes,
        boolean queueQos0WhileOffline,
        long resendIntervalMillis,
        int resendMaxAttempts,
        long connectTimeoutMillis,
        int maxKeepAliveSeconds,
        int topicAliasMaximum,
        int outboundTopicAliasMaximum,
        long maxSessionExpirySeconds,
        boolean retainAvailable,
        String assignedClientIdPrefix,
        ClientLimits limits,
        Authorizer authorizer,
        int maxTopicLevels,
        MemoryBudget budget) {

    public BrokerConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(budget, "budget");
    }

    /** The defaults, one per line in the order of the components. */
    private static final BrokerConfig DEFAULTS = new BrokerConfig(
            268_435_455,      // maximumPacketSize: the largest a Variable Byte Integer can state
            65_535,           // receiveMaximum
            20,               // maxInflightMessages
            1_000,            // maxQueuedMessages
            0,                // maxQueuedBytes: no byte bound
            false,            // queueQos0WhileOffline
            0,                // resendIntervalMillis: resend only on reconnect
            3,                // resendMaxAttempts
            10_000,           // connectTimeoutMillis
            0,                // maxKeepAliveSeconds: no cap
            10,               // topicAliasMaximum
            10,               // outboundTopicAliasMaximum
            4_294_967_295L,   // maxSessionExpirySeconds: the largest 5.0 can state
            true,             // retainAvailable
            "auto-",          // assignedClientIdPrefix
            ClientLimits.NONE,
            Authorizer.ALLOW_ALL,
            0,                // maxTopicLevels: no cap
            MemoryBudget.defaults());   // budget: nothing bounded but User Properties per packet

    /** Settings that work out of the box, close to Mosquitto's defaults. */
    public static BrokerConfig defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Named settings over a starting configuration; {@link #build()} gives the value. Each setter
     * returns a new builder (the core holds no mutable objects, builders included), so a builder
     * can be kept and varied: {@code base.receiveMaximum(2).build()} leaves {@code base} as it was.
     */
    public static final class Builder {

        private final BrokerConfig config;

        private Builder(BrokerConfig config) {
            this.config = config;
        }

        public BrokerConfig build() {
            return config;
        }

        public Builder maximumPacketSize(int bytes) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(bytes, c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder receiveMaximum(int messages) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), messages, c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder maxInflightMessages(int messages) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), messages,
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder maxQueuedMessages(int messages) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    messages, c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder maxQueuedBytes(long bytes) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), bytes, c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder queueQos0WhileOffline(boolean queue) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), queue, c.resendIntervalMillis(), c.resendMaxAttempts(),
                    c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder resendIntervalMillis(long millis) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), millis, c.resendMaxAttempts(),
                    c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder resendMaxAttempts(int attempts) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    attempts, c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder connectTimeoutMillis(long millis) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), millis, c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder maxKeepAliveSeconds(int seconds) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), seconds, c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder topicAliasMaximum(int aliases) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), aliases,
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder outboundTopicAliasMaximum(int aliases) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    aliases, c.maxSessionExpirySeconds(), c.retainAvailable(), c.assignedClientIdPrefix(), c.limits(),
                    c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder maxSessionExpirySeconds(long seconds) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), seconds, c.retainAvailable(), c.assignedClientIdPrefix(), c.limits(),
                    c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder retainAvailable(boolean available) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), available, c.assignedClientIdPrefix(),
                    c.limits(), c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder assignedClientIdPrefix(String prefix) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(), prefix, c.limits(),
                    c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder limits(ClientLimits value) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), value, c.authorizer(), c.maxTopicLevels(), c.budget()));
        }

        public Builder budget(MemoryBudget value) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), c.maxTopicLevels(), value));
        }

        public Builder authorizer(Authorizer value) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), value, c.maxTopicLevels(), c.budget()));
        }

        public Builder maxTopicLevels(int levels) {
            BrokerConfig c = config;
            return new Builder(new BrokerConfig(c.maximumPacketSize(), c.receiveMaximum(), c.maxInflightMessages(),
                    c.maxQueuedMessages(), c.maxQueuedBytes(), c.queueQos0WhileOffline(), c.resendIntervalMillis(),
                    c.resendMaxAttempts(), c.connectTimeoutMillis(), c.maxKeepAliveSeconds(), c.topicAliasMaximum(),
                    c.outboundTopicAliasMaximum(), c.maxSessionExpirySeconds(), c.retainAvailable(),
                    c.assignedClientIdPrefix(), c.limits(), c.authorizer(), levels, c.budget()));
        }
    }
}
