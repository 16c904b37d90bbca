package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;

/**
 * The 5.0 Topic Aliases the server has set towards a client on one network connection
 * (section 3.3.2.3.4). Each connection starts with {@link #forConnection}: mappings never carry
 * over to another one [MQTT-3.3.2-7].
 *
 * <p>Policy, first come first served: the first {@code maximum} distinct topics sent on the
 * connection get aliases 1, 2, 3... in that order, and keep them until the connection ends. The
 * first PUBLISH to such a topic carries the topic and the alias (which sets the mapping), later
 * ones an empty topic and the alias. Topics that come after the aliases ran out go with their
 * full name and no alias. An alias is never reassigned, so a client never has to forget a
 * mapping, and choosing one costs one map lookup, no bookkeeping per send. It suits the common
 * case of a connection whose traffic keeps to a few topics, which are then the first ones it
 * sees; it is never worse than no aliases but for the three bytes of the PUBLISH that sets each.
 * A maximum of 0 means no aliases at all [MQTT-3.1.2-27]; no alias is ever above the maximum
 * [MQTT-3.1.2-26, MQTT-3.3.2-11] or 0 [MQTT-3.3.2-8]. The server picks the maximum: the
 * client's Topic Alias Maximum from CONNECT, capped by its own setting.
 *
 * <p>Apply aliases last, to the exact PUBLISH about to be written, and keep the returned state
 * only if that PUBLISH is written.
 */
public final class OutboundTopicAliases {

    /** A connection that takes no aliases (every 3.1.1 one): one shared value, not one per link. */
    public static final OutboundTopicAliases NONE = new OutboundTopicAliases(0, PersistentMap.empty());

    private final int maximum;
    private final PersistentMap<String, Integer> aliases;

    private OutboundTopicAliases(int maximum, PersistentMap<String, Integer> aliases) {
        this.maximum = maximum;
        this.aliases = aliases;
    }

    /** No aliases yet, at most {@code topicAliasMaximum} of them (0: none). */
    public static OutboundTopicAliases forConnection(int topicAliasMaximum) {
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
            throw new IllegalArgumentException("Topic Alias Maximum must be 0..65535: " + topicAliasMaximum);
        }
        return topicAliasMaximum == 0 ? NONE : new OutboundTopicAliases(topicAliasMaximum, PersistentMap.empty());
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
     * The PUBLISH as it goes on the wire under this policy. {@code publish} carries its real,
     * non-empty topic and no Topic Alias (the router hands on messages without one).
     */
    public Aliased apply(Publish publish) {
        if (maximum == 0) {
            return new Aliased(this, publish);
        }
        String topic = publish.topic();
        Integer existing = aliases.get(topic);
        if (existing != null) {
            return new Aliased(this, new Publish("", publish.payload(), publish.qos(), publish.retain(),
                    publish.dup(), publish.packetId(), publish.properties().withInteger(PropertyId.TOPIC_ALIAS, existing)));
        }
        if (aliases.size() >= maximum) {
            return new Aliased(this, publish);
        }
        int alias = aliases.size() + 1;
        Publish setting = publish.withProperties(publish.properties().withInteger(PropertyId.TOPIC_ALIAS, alias));
        return new Aliased(new OutboundTopicAliases(maximum, aliases.put(topic, alias)), setting);
    }
}
