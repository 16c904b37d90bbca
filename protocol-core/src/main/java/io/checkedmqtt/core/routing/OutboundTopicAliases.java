package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;

/**
 * The 5.0 Topic Aliases the server has set towards a client on one network connection
 * (section 3.3.2.3.4). Start each connection with {@link #forConnection} and the Topic Alias
 * Maximum from the client's CONNECT.
 *
 * <p>Policy (deterministic, stated): the first {@code maximum} distinct topics sent on the
 * connection get aliases 1, 2, 3... in order. The first PUBLISH to such a topic carries the topic
 * and the alias (setting the mapping); later ones carry an empty topic and the alias. Topics seen
 * after the aliases run out go with their full name and no alias; mappings are never reassigned.
 * A maximum of 0 (or absent) means no aliases at all [MQTT-3.1.2-27]; no alias is ever above
 * the maximum [MQTT-3.1.2-26, MQTT-3.3.2-11] or 0 [MQTT-3.3.2-8].
 *
 * <p>Apply aliases last, to the exact PUBLISH about to be written, and keep the returned state
 * only if it is written (see {@link OutboundDelivery}). Resends after a reconnect start from a
 * fresh {@link #forConnection} value, since aliases do not survive the connection [MQTT-3.3.2-7].
 */
public final class OutboundTopicAliases {

    private final int maximum;
    private final PersistentMap<String, Integer> aliases;

    private OutboundTopicAliases(int maximum, PersistentMap<String, Integer> aliases) {
        this.maximum = maximum;
        this.aliases = aliases;
    }

    /** No aliases yet; {@code topicAliasMaximum} is the client's CONNECT value (0 when absent). */
    public static OutboundTopicAliases forConnection(int topicAliasMaximum) {
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
            throw new IllegalArgumentException("Topic Alias Maximum must be 0..65535: " + topicAliasMaximum);
        }
        return new OutboundTopicAliases(topicAliasMaximum, PersistentMap.empty());
    }

    public int maximum() {
        return maximum;
    }

    /** The alias assigned to a topic on this connection, or 0 when it has none. */
    public int aliasOf(String topic) {
        Integer alias = aliases.get(topic);
        return alias == null ? 0 : alias;
    }

    /** The PUBLISH to write and the alias state after writing it. */
    public record Aliased(OutboundTopicAliases aliases, Publish publish) {
    }

    /**
     * The PUBLISH as it goes on the wire under this policy. Any Topic Alias property already on
     * {@code publish} is replaced; {@code publish.topic()} must be the real, non-empty topic.
     */
    public Aliased apply(Publish publish) {
        Publish plain = publish.properties().contains(PropertyId.TOPIC_ALIAS)
                ? publish.withProperties(publish.properties().without(PropertyId.TOPIC_ALIAS))
                : publish;
        if (maximum == 0) {
            return new Aliased(this, plain);
        }
        String topic = plain.topic();
        Integer existing = aliases.get(topic);
        if (existing != null) {
            Publish viaAlias = plain.withTopic("")
                    .withProperties(plain.properties().withInteger(PropertyId.TOPIC_ALIAS, existing));
            return new Aliased(this, viaAlias);
        }
        if (aliases.size() >= maximum) {
            return new Aliased(this, plain);
        }
        int alias = aliases.size() + 1;
        Publish setting = plain.withProperties(plain.properties().withInteger(PropertyId.TOPIC_ALIAS, alias));
        return new Aliased(new OutboundTopicAliases(maximum, aliases.put(topic, alias)), setting);
    }
}
