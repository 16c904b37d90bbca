package io.checkedmqtt.core.session;

import java.util.Arrays;

/**
 * The inbound 5.0 Topic Alias mappings of one connection: alias 1..max to a Topic Name. The
 * server accepts every alias from 1 up to the Topic Alias Maximum it returned in CONNACK
 * [v5 MQTT-3.3.2-12]; the map starts empty on every connection [v5 MQTT-3.3.2-7].
 */
public final class TopicAliasMap {

    public static final TopicAliasMap NONE = new TopicAliasMap(new String[0]);

    private final String[] topics; // index alias - 1

    private TopicAliasMap(String[] topics) {
        this.topics = topics;
    }

    /** An empty map accepting aliases 1..maximum. */
    public static TopicAliasMap withMaximum(int maximum) {
        return maximum <= 0 ? NONE : new TopicAliasMap(new String[maximum]);
    }

    public int maximum() {
        return topics.length;
    }

    /** The topic for this alias, or null when the alias has no mapping yet. */
    public String topic(int alias) {
        return alias >= 1 && alias <= topics.length ? topics[alias - 1] : null;
    }

    /** This map with the alias set to the topic. The caller checked 1 <= alias <= maximum. */
    public TopicAliasMap with(int alias, String topic) {
        if (topic.equals(topics[alias - 1])) {
            return this;
        }
        String[] next = topics.clone();
        next[alias - 1] = topic;
        return new TopicAliasMap(next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicAliasMap other && Arrays.equals(topics, other.topics);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(topics);
    }
}
