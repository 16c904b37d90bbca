package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The message {@code probe.offline-queue} queues for a client while it is away: on a topic its
 * subscription matches ({@code +} and {@code #} levels become {@code probe}, a shared
 * subscription's {@code $share/group/} prefix is dropped), at the QoS it was granted, with a
 * payload that says what it is.
 */
public final class ProbeMessage {

    public static final String PAYLOAD = "checked-mqtt probe.offline-queue: acknowledge me";

    private ProbeMessage() {
    }

    /** The message for a subscription to {@code filter} granted {@code qos} (1 or 2). */
    public static Publish forFilter(String filter, QoS qos) {
        return new Publish(topicFor(filter), PAYLOAD.getBytes(StandardCharsets.UTF_8), qos, false, false, 0,
                Properties.EMPTY);
    }

    /** A topic name the filter matches. */
    static String topicFor(String filter) {
        String f = filter;
        if (f.startsWith("$share/")) {
            int slash = f.indexOf('/', "$share/".length());
            f = slash < 0 ? "probe" : f.substring(slash + 1);
        }
        String[] levels = f.split("/", -1);
        StringBuilder topic = new StringBuilder(f.length() + 8);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            topic.append(i == 0 ? "" : "/").append(level.equals("+") || level.equals("#") ? "probe" : level);
        }
        return topic.toString();
    }

    static boolean is(Publish p) {
        return p.payload().length == PAYLOAD.length()
                && Arrays.equals(p.payload(), PAYLOAD.getBytes(StandardCharsets.UTF_8));
    }
}
