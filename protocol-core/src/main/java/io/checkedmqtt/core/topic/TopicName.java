package io.checkedmqtt.core.topic;

import io.checkedmqtt.core.packet.ReasonCode;

/**
 * Topic Names: the topic a PUBLISH is sent to (MQTT section 4.7).
 *
 * <p>A valid Topic Name:
 * <ul>
 *   <li>is at least one character long [MQTT-4.7.3-1] (a 5.0 PUBLISH may carry an empty topic
 *       together with a Topic Alias; resolve the alias with
 *       {@link io.checkedmqtt.core.routing.InboundTopicAliases} first, then validate);</li>
 *   <li>contains no wildcard, neither {@code +} nor {@code #} [MQTT-3.3.2-2, 5.0 MQTT-4.7.0-1,
 *       3.1.1 MQTT-4.7.1-1];</li>
 *   <li>contains no U+0000 [MQTT-4.7.3-2] and no unpaired surrogate [5.0 MQTT-1.5.4-1,
 *       3.1.1 MQTT-1.5.3-1];</li>
 *   <li>encodes to at most 65,535 UTF-8 bytes [MQTT-4.7.3-3].</li>
 * </ul>
 *
 * <p>Examples: {@code sport/tennis/player1}, {@code /}, {@code a//b}, {@code $SYS/broker/load}
 * (a name may start with {@code $}; it is then not matched by filters that start with a
 * wildcard [MQTT-4.7.2-1]) are valid; {@code ""}, {@code sport/+}, {@code sport/#} are not.
 * Levels are separated by {@code /} and may be empty strings: {@code a//b} has three levels,
 * {@code /} has two, both empty.
 */
public final class TopicName {

    /** The largest number of UTF-8 bytes a topic (name or filter) may encode to [MQTT-4.7.3-3]. */
    public static final int MAX_UTF8_BYTES = 65_535;

    private TopicName() {
    }

    /** True when {@code topic} is a valid Topic Name (see the class comment). */
    public static boolean isValid(String topic) {
        return validate(topic) == null;
    }

    /**
     * Null when {@code topic} is a valid Topic Name, otherwise {@link ReasonCode#TOPIC_NAME_INVALID}
     * (the code a 5.0 PUBACK/PUBREC or DISCONNECT uses for it).
     */
    public static ReasonCode validate(String topic) {
        if (topic == null || topic.isEmpty()) {
            return ReasonCode.TOPIC_NAME_INVALID;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return ReasonCode.TOPIC_NAME_INVALID;
            }
        }
        return Utf8Rules.isWellFormedTopicString(topic) ? null : ReasonCode.TOPIC_NAME_INVALID;
    }
}
