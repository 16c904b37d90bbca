package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * The 5.0 Topic Aliases a client has set towards the server on one network connection
 * (section 3.3.2.3.4). Start each connection with {@link #forConnection} and the Topic Alias
 * Maximum the server sent in CONNACK: mappings never carry over to a new connection
 * [MQTT-3.3.2-7].
 *
 * <p>{@link #resolve} for every inbound 5.0 PUBLISH:
 * <ul>
 *   <li>no Topic Alias, non-empty topic: unchanged;</li>
 *   <li>alias 0 or above the maximum: {@link ReasonCode#TOPIC_ALIAS_INVALID} (0x94), the server
 *       disconnects [MQTT-3.3.2-8 is the sender's side of it]; every alias 1..maximum is accepted
 *       [MQTT-3.3.2-12];</li>
 *   <li>alias with a non-empty topic: the alias now stands for that topic (a new mapping
 *       replaces an old one);</li>
 *   <li>alias with an empty topic: the topic it stands for; {@link ReasonCode#PROTOCOL_ERROR}
 *       when the alias was never set;</li>
 *   <li>empty topic without an alias: {@link ReasonCode#PROTOCOL_ERROR}.</li>
 * </ul>
 * The resolved PUBLISH has its topic filled in and the Topic Alias property removed, so nothing
 * after this point (validation, routing, retained store) sees aliases.
 */
public final class InboundTopicAliases {

    /** A connection that may set no aliases (every 3.1.1 one): one shared value, not one per link. */
    private static final InboundTopicAliases NONE = new InboundTopicAliases(0, PersistentMap.empty());

    private final int maximum;
    private final PersistentMap<Integer, String> topics;

    private InboundTopicAliases(int maximum, PersistentMap<Integer, String> topics) {
        this.maximum = maximum;
        this.topics = topics;
    }

    /** No aliases yet; {@code topicAliasMaximum} is the value the server sent in CONNACK (0 = none allowed). */
    public static InboundTopicAliases forConnection(int topicAliasMaximum) {
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
            throw new IllegalArgumentException("Topic Alias Maximum must be 0..65535: " + topicAliasMaximum);
        }
        return topicAliasMaximum == 0 ? NONE : new InboundTopicAliases(topicAliasMaximum, PersistentMap.empty());
    }

    public int maximum() {
        return maximum;
    }

    /** The topic an alias stands for, or null. */
    public String topicFor(int alias) {
        return topics.get(alias);
    }

    /**
     * The outcome of {@link #resolve}: either {@code error} is null and {@code publish} is the
     * PUBLISH with its real topic, or {@code error} is the DISCONNECT reason and {@code publish}
     * is null. {@code aliases} is the state to keep (unchanged on error).
     */
    public record Resolution(InboundTopicAliases aliases, Publish publish, ReasonCode error) {
        public boolean isError() {
            return error != null;
        }
    }

    /** Resolves one inbound PUBLISH (see the class comment). */
    public Resolution resolve(Publish publish) {
        long alias = publish.properties().integer(PropertyId.TOPIC_ALIAS, -1);
        if (alias == -1) {
            return publish.topic().isEmpty()
                    ? new Resolution(this, null, ReasonCode.PROTOCOL_ERROR)
                    : new Resolution(this, publish, null);
        }
        if (alias == 0 || alias > maximum) {
            return new Resolution(this, null, ReasonCode.TOPIC_ALIAS_INVALID);
        }
        Publish stripped = publish.withProperties(publish.properties().without(PropertyId.TOPIC_ALIAS));
        int key = (int) alias;
        if (!publish.topic().isEmpty()) {
            return new Resolution(new InboundTopicAliases(maximum, topics.put(key, publish.topic())), stripped, null);
        }
        String topic = topics.get(key);
        if (topic == null) {
            return new Resolution(this, null, ReasonCode.PROTOCOL_ERROR);
        }
        return new Resolution(this, stripped.withTopic(topic), null);
    }
}
