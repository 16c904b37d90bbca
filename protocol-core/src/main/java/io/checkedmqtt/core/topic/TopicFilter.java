package io.checkedmqtt.core.topic;

import io.checkedmqtt.core.packet.ProtocolVersion;

/**
 * Topic Filters: what a SUBSCRIBE asks for (MQTT section 4.7), and the one matching rule.
 *
 * <p>Valid filters (after Mosquitto's {@code subs.c}):
 * <pre>
 *   sport/tennis/player1   exact
 *   sport/tennis/+         '+' fills one whole level          [MQTT-4.7.1-2 5.0, -4.7.1-3 3.1.1]
 *   sport/#                '#' last, alone or after '/'        [MQTT-4.7.1-1 5.0, -4.7.1-2 3.1.1]
 *   #   +   +/+   /+   a//b   /
 *   $SYS/#                 matches only topics under $SYS
 *   $share/group/sport/#   a Shared Subscription (see SharedSubscription)
 * </pre>
 * Malformed: {@code ""} [MQTT-4.7.3-1], {@code sport+}, {@code +a}, {@code sport/#/x},
 * {@code sport#}, {@code #/}, {@code a/b+}, and, read as 5.0, {@code $share//a} and
 * {@code $share/g} (see {@link #syntaxError}). A filter comes from a SUBSCRIBE or UNSUBSCRIBE the
 * decoder has read, which already refused U+0000 [MQTT-4.7.3-2], ill-formed UTF-8 and more than
 * 65,535 bytes [MQTT-4.7.3-3]; so this class checks the wildcard syntax only.
 *
 * <p>Matching [MQTT-4.7.3-4]: levels are compared character by character, with no
 * normalisation; {@code +} matches exactly one level (which may be empty); {@code #} matches
 * the parent level and any number of levels below it, so {@code sport/#} matches
 * {@code sport}, {@code sport/} and {@code sport/a/b}; a filter that starts with {@code +} or
 * {@code #} never matches a topic that starts with {@code $} [MQTT-4.7.2-1].
 *
 * <p>Non-matching examples: {@code sport/+} does not match {@code sport} (one level short) but
 * does match {@code sport/}; {@code +} does not match {@code /finance} (two levels);
 * {@code #} does not match {@code $SYS/x}.
 */
public final class TopicFilter {

    private TopicFilter() {
    }

    /**
     * True when {@code filter} is a well-formed Topic Filter as a 5.0 client means it: one that
     * starts with {@code $share/} must also be a well-formed Shared Subscription.
     */
    public static boolean isValid(String filter) {
        return syntaxError(filter, ProtocolVersion.MQTT_5) == null;
    }

    /**
     * Null when {@code filter} is a well-formed Topic Filter for a client of {@code version};
     * otherwise which rule it breaks, with the statement id. The one syntax check every caller
     * uses. Breaking it is a Protocol Error, not a refusal: the spec's 0x8F Topic Filter invalid
     * is for a filter that is "correctly formed" but not accepted (5.0 section 3.9.3), and
     * 5.0 section 1.2 calls data the protocol does not allow in a parsed packet a Protocol Error;
     * so the server closes the connection [v5 MQTT-4.13.1-1; v3.1.1 MQTT-4.8.0-1], with
     * DISCONNECT 0x82 in 5.0.
     *
     * <p>5.0 reads a filter that starts with {@code $share/} as a Shared Subscription, whose form
     * [MQTT-4.8.2-1, MQTT-4.8.2-2] is then part of the syntax. 3.1.1 and 3.1 have no such form:
     * for them {@code $share//a} is an ordinary, well-formed filter (which the broker may refuse,
     * see {@link SharedSubscription}).
     */
    public static String syntaxError(String filter, ProtocolVersion version) {
        if (version.isV5() && SharedSubscription.isShared(filter)) {
            return SharedSubscription.syntaxError(filter);
        }
        return plainSyntaxError(filter, version);
    }

    /** {@link #syntaxError} reading {@code $share/...} literally, as the inner part of a shared filter is read. */
    static String plainSyntaxError(String filter, ProtocolVersion version) {
        int n = filter.length();
        if (n == 0) {
            return "the Topic Filter is empty [MQTT-4.7.3-1]";
        }
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
            if (c == '#' && (i != n - 1 || !levelStart)) {
                return "'#' is not a whole last level [" + (version.isV5() ? "v5 MQTT-4.7.1-1" : "v3.1.1 MQTT-4.7.1-2") + "]";
            }
            if (c == '+' && (!levelStart || (i < n - 1 && filter.charAt(i + 1) != '/'))) {
                return "'+' is not a whole level [" + (version.isV5() ? "v5 MQTT-4.7.1-2" : "v3.1.1 MQTT-4.7.1-3") + "]";
            }
        }
        return null;
    }

    /** True when the filter uses {@code +} or {@code #} (a 5.0 server may refuse these with 0xA2). */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * Whether a valid, non-shared {@code filter} matches a valid Topic Name {@code topic} (see the
     * class comment). For a shared filter pass {@link SharedSubscription#filter()}. Walks both
     * strings by index; allocates nothing.
     */
    public static boolean matches(String filter, String topic) {
        int fl = filter.length();
        int tl = topic.length();
        if (tl > 0 && topic.charAt(0) == '$' && fl > 0) {
            char first = filter.charAt(0);
            if (first == '+' || first == '#') {
                return false; // [MQTT-4.7.2-1]
            }
        }
        int fi = 0; // start of the current filter level
        int ti = 0; // start of the current topic level; tl + 1 once the topic has no more levels
        while (true) {
            if (fi < fl && filter.charAt(fi) == '#') {
                return true; // '#' matches the parent level and everything below it
            }
            if (ti > tl) {
                return false; // the filter has a level the topic lacks
            }
            int fEnd = levelEnd(filter, fi);
            int tEnd = levelEnd(topic, ti);
            boolean plus = fEnd - fi == 1 && filter.charAt(fi) == '+';
            if (!plus && (fEnd - fi != tEnd - ti || !filter.regionMatches(fi, topic, ti, fEnd - fi))) {
                return false;
            }
            fi = fEnd + 1;
            ti = tEnd + 1;
            if (fi > fl) {
                return ti > tl; // both must run out of levels together
            }
        }
    }

    /** The number of levels of a topic or filter: one more than its '/' separators ({@code "/"} has two). */
    public static int levelCount(String s) {
        int levels = 1;
        for (int slash = s.indexOf('/'); slash >= 0; slash = s.indexOf('/', slash + 1)) {
            levels++;
        }
        return levels;
    }

    /**
     * The index of the '/' that ends the level starting at {@code start}, or the string length:
     * the level is {@code s.substring(start, levelEnd(s, start))} and the next one starts one
     * after. A string of n slashes has n + 1 levels; {@code start == length} is an empty last level.
     */
    public static int levelEnd(String s, int start) {
        int slash = s.indexOf('/', start);
        return slash < 0 ? s.length() : slash;
    }
}
