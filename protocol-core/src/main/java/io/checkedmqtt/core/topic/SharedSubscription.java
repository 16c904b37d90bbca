package io.checkedmqtt.core.topic;

import io.checkedmqtt.core.packet.ProtocolVersion;

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
 * <p>For a 5.0 client the form is syntax: a filter that starts with {@code $share/} and breaks it
 * is a Protocol Error ({@link TopicFilter#syntaxError}). The broker also accepts the form from
 * 3.1.1 clients, as EMQX and HiveMQ do; 3.1.1 itself knows no such form, so there
 * {@code $share//a} is a well-formed filter that the broker refuses (SUBACK 0x80) rather than a
 * reason to close the connection.
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
        if (!isShared(topicFilter) || syntaxError(topicFilter) != null) {
            return null;
        }
        int slash = topicFilter.indexOf('/', PREFIX.length());
        return new SharedSubscription(topicFilter.substring(PREFIX.length(), slash), topicFilter.substring(slash + 1));
    }

    /**
     * Null when {@code topicFilter}, which starts with {@code $share/}, is a well-formed Shared
     * Subscription filter; otherwise which rule it breaks.
     */
    static String syntaxError(String topicFilter) {
        int groupStart = PREFIX.length();
        int slash = topicFilter.indexOf('/', groupStart);
        if (slash == groupStart) {
            return "the ShareName is empty [v5 MQTT-4.8.2-1]";
        }
        if (slash < 0) {
            return "no '/' and Topic Filter after the ShareName [v5 MQTT-4.8.2-2]";
        }
        for (int i = groupStart; i < slash; i++) {
            char c = topicFilter.charAt(i);
            if (c == '+' || c == '#') {
                return "the ShareName contains '" + c + "' [v5 MQTT-4.8.2-2]";
            }
        }
        String inner = TopicFilter.plainSyntaxError(topicFilter.substring(slash + 1), ProtocolVersion.MQTT_5);
        return inner == null ? null : "after the ShareName, " + inner + " [v5 MQTT-4.8.2-2]";
    }

    /** The filter as a client writes it: {@code $share/group/filter}. */
    public String asTopicFilter() {
        return PREFIX + group + '/' + filter;
    }
}
