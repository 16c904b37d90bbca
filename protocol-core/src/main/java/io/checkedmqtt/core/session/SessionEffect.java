package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.Will;

/**
 * What a session transition asks of the broker around it, besides the packets, closes and timers
 * it hands to the shell (those are {@link io.checkedmqtt.core.effect.Effect}s). The broker core
 * consumes these itself: it owns the router and the table of sessions.
 */
public sealed interface SessionEffect {

    /**
     * The server now owns this message from the client: hand it to every matching subscription
     * [v3.1.1 MQTT-4.5.0-1, v5 MQTT-4.5.0-1]. The PUBLISH is as received (Topic Alias resolved).
     */
    record RouteMessage(String publisherClientId, Publish publish) implements SessionEffect {
    }

    /** Publish this Will Message as if the client had sent it [v3.1.1 MQTT-3.1.2-8, v5 MQTT-3.1.2-8]. */
    record PublishWill(String clientId, Will will) implements SessionEffect {
    }

    /** The session ended: forget it and its subscriptions [v5 MQTT-4.1.0-2]. */
    record DiscardSession(String clientId) implements SessionEffect {
    }

    /**
     * A kept session changed in a way a persistence layer must record (it connected or went
     * offline). Nothing consumes this yet; the broker core drops it.
     */
    record PersistSession(Session session) implements SessionEffect {
    }
}
