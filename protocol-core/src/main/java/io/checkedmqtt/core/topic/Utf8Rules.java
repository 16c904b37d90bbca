package io.checkedmqtt.core.topic;

/** The UTF-8 string rules that topics share: no U+0000, no unpaired surrogate, at most 65,535 bytes. */
final class Utf8Rules {

    private Utf8Rules() {
    }

    /**
     * True when the string has no U+0000 [MQTT-4.7.3-2], no unpaired surrogate (so it can be
     * encoded as well-formed UTF-8 [5.0 MQTT-1.5.4-1]) and encodes to at most
     * {@link TopicName#MAX_UTF8_BYTES} bytes [MQTT-4.7.3-3].
     */
    static boolean isWellFormedTopicString(String s) {
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
                bytes += 4;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else {
                bytes += 3;
            }
        }
        return bytes <= TopicName.MAX_UTF8_BYTES;
    }
}
