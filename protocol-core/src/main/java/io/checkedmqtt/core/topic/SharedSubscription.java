package io.checkedmqtt.core.topic;

import java.util.Objects;

/**
 * A Shared Subscription filter, {@code $share/{ShareName}/{filter}} (5.0 section 4.8.2).
 *
 * <p>The ShareName is at least one character [MQTT-4.8.2-1], contains none of {@code /},
 * {@code +} and {@code #}, and is followed by {@code /} and a non-empty, valid Topic Filter
 * [MQTT-4.8.2-2]. {@code $share/g/sport/#} is group {@code g} on {@code sport/#};
 * {@code $share//a}, {@code $share/g}, {@code $share/g/}, {@code $share/g+/a} are invalid;
 * {@code $share} alone and {@code $shared/g/a} are ordinary filters.
 *
 * <p>The broker also accepts this form from 3.1.1 clients, as EMQX and HiveMQ do.
 *
 * @param group  the ShareName
 * @param filter the Topic Filter the group shares (without the {@code $share/group/} prefix)
 */
public record SharedSubscription(String group, String filter) {

    /** The prefix that marks a Shared Subscription. */
    public static final String PREFIX = "$share/";

    public SharedSubscription {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(filter, "filter");
    }

    /** True when the filter starts with {@code $share/}: it must then parse, or it is invalid. */
    public static boolean isShared(String topicFilter) {
        return topicFilter.startsWith(PREFIX);
    }

    /**
     * The group and inner filter of a well-formed shared filter; null when the filter does not
     * start with {@code $share/} or is not well formed (see the class comment).
     */
    public static SharedSubscription parse(String topicFilter) {
        if (!isShared(topicFilter)) {
            return null;
        }
        int groupStart = PREFIX.length();
        int slash = topicFilter.indexOf('/', groupStart);
        if (slash <= groupStart) {
            return null; // no group, or no '/' after it [MQTT-4.8.2-1, MQTT-4.8.2-2]
        }
        for (int i = groupStart; i < slash; i++) {
            char c = topicFilter.charAt(i);
            if (c == '+' || c == '#') {
                return null; // [MQTT-4.8.2-2]
            }
        }
        String inner = topicFilter.substring(slash + 1);
        if (!TopicFilter.isValidPlain(inner)) {
            return null;
        }
        return new SharedSubscription(topicFilter.substring(groupStart, slash), inner);
    }

    /** The filter as a client writes it: {@code $share/group/filter}. */
    public String asTopicFilter() {
        return PREFIX + group + '/' + filter;
    }
}
