package io.checkedmqtt.core.config;

/**
 * Every protocol setting of the broker, as one immutable value. The shell builds it from the
 * command line and config file; the core reads it and nothing else.
 *
 * @param maximumPacketSize        largest packet the server accepts, in bytes (5.0 Maximum Packet Size)
 * @param receiveMaximum           5.0: QoS 1/2 PUBLISHes a client may have unacknowledged towards the server
 * @param maxInflightMessages      QoS 1/2 messages in flight towards one client (3.1.1; 5.0 also honours the client's Receive Maximum)
 * @param maxQueuedMessages        messages one session may queue (offline, or waiting for an in-flight slot)
 * @param maxQueuedBytes           payload bytes one session may queue; 0 means no byte bound
 * @param queueQos0WhileOffline    queue QoS 0 messages for offline kept sessions (off: the spec's default behaviour)
 * @param resendIntervalMillis     3.1.1 only: resend unacknowledged PUBLISH/PUBREL after this long; 0 turns it off
 * @param resendMaxAttempts        3.1.1 only: how many timed resends per message
 * @param connectTimeoutMillis     close a connection that sends no CONNECT within this time
 * @param maxKeepAliveSeconds      5.0: a larger client Keep Alive is lowered with Server Keep Alive; 0 means no cap
 * @param topicAliasMaximum        5.0: topic aliases a client may use towards the server
 * @param maxSessionExpirySeconds  5.0: cap on a client's Session Expiry Interval
 * @param retainAvailable          retained messages supported
 * @param assignedClientIdPrefix   prefix of server-assigned client identifiers (5.0, and 3.1.1 empty ids)
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
        long maxSessionExpirySeconds,
        boolean retainAvailable,
        String assignedClientIdPrefix) {

    /** Settings that work out of the box, close to Mosquitto's defaults. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(
                268_435_455,  // the largest a Variable Byte Integer can state
                65_535,
                20,
                1_000,
                0,
                false,
                0,
                3,
                10_000,
                0,
                10,
                4_294_967_295L,
                true,
                "auto-");
    }
}
