package io.checkedmqtt.core.codec;

import java.nio.ByteBuffer;

/**
 * MQTT's UTF-8 rules (3.1.1 section 1.5.3, 5.0 section 1.5.4): the bytes are well-formed UTF-8
 * as RFC 3629 defines it, so no overlong forms and no code points above U+10FFFF; they encode
 * no surrogate (U+D800..U+DFFF) [MQTT-1.5.3-1 in 3.1.1, MQTT-1.5.4-1 in 5.0] and no U+0000
 * [MQTT-1.5.3-2, MQTT-1.5.4-2]. A leading U+FEFF (EF BB BF) is a character like any other and
 * is kept [MQTT-1.5.3-3, MQTT-1.5.4-3].
 */
public final class Utf8 {

    /** The bytes are a valid MQTT string. */
    static final int VALID = 0;
    /** Not well-formed UTF-8, or a surrogate. */
    static final int ILL_FORMED = 1;
    /** Well-formed, but holds U+0000. */
    static final int NULL_CHARACTER = 2;

    private Utf8() {
    }

    /**
     * Checks {@code length} bytes from absolute index {@code from}, without moving the buffer.
     *
     * @return {@link #VALID}, {@link #ILL_FORMED} or {@link #NULL_CHARACTER}
     */
    static int check(ByteBuffer in, int from, int length) {
        return check(in, from, length, false);
    }

    /**
     * Whether these bytes are well-formed UTF-8 without surrogates, U+0000 allowed: the test a
     * receiver may make of a payload whose Payload Format Indicator is 1 (5.0 section 3.3.2.3.2).
     */
    public static boolean isWellFormed(byte[] bytes) {
        return check(ByteBuffer.wrap(bytes), 0, bytes.length, true) == VALID;
    }

    private static int check(ByteBuffer in, int from, int length, boolean allowNull) {
        int i = from;
        int end = from + length;
        while (i < end) {
            int b = in.get(i);
            if (b > 0) {
                i++;
                continue;
            }
            if (b == 0) {
                if (!allowNull) {
                    return NULL_CHARACTER;
                }
                i++;
                continue;
            }
            b &= 0xFF;
            if (b < 0xC2) {
                return ILL_FORMED; // a stray continuation byte, or an overlong two-byte form (C0, C1)
            }
            if (b < 0xE0) {
                if (i + 1 >= end || !continuation(in.get(i + 1), 0x80, 0xBF)) {
                    return ILL_FORMED;
                }
                i += 2;
            } else if (b < 0xF0) {
                // E0 needs A0.. to not be overlong; ED is limited to ..9F so it cannot encode a surrogate
                int low = b == 0xE0 ? 0xA0 : 0x80;
                int high = b == 0xED ? 0x9F : 0xBF;
                if (i + 2 >= end || !continuation(in.get(i + 1), low, high) || !continuation(in.get(i + 2), 0x80, 0xBF)) {
                    return ILL_FORMED;
                }
                i += 3;
            } else if (b < 0xF5) {
                // F0 needs 90.. to not be overlong; F4 is limited to ..8F to stay at or below U+10FFFF
                int low = b == 0xF0 ? 0x90 : 0x80;
                int high = b == 0xF4 ? 0x8F : 0xBF;
                if (i + 3 >= end || !continuation(in.get(i + 1), low, high)
                        || !continuation(in.get(i + 2), 0x80, 0xBF) || !continuation(in.get(i + 3), 0x80, 0xBF)) {
                    return ILL_FORMED;
                }
                i += 4;
            } else {
                return ILL_FORMED;
            }
        }
        return VALID;
    }

    private static boolean continuation(byte value, int low, int high) {
        int b = value & 0xFF;
        return b >= low && b <= high;
    }

    /**
     * How many bytes the UTF-8 form of {@code s} takes.
     *
     * @throws IllegalArgumentException if {@code s} holds U+0000 or an unpaired surrogate, which
     *                                  no MQTT string may carry
     */
    public static int encodedLength(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == 0) {
                    throw new IllegalArgumentException("U+0000 is not allowed in an MQTT string [MQTT-1.5.4-2]");
                }
            } else if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // two chars become four bytes
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate in an MQTT string [MQTT-1.5.4-1]");
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Writes the UTF-8 form of {@code s}, which {@link #encodedLength} has accepted. */
    static void write(String s, ByteBuffer out) {
        int n = s.length();
        int start = 0;
        if (out.hasArray()) {
            // ASCII prefix straight into the backing array: the common case for topics and ids
            byte[] array = out.array();
            int at = out.arrayOffset() + out.position();
            while (start < n) {
                char c = s.charAt(start);
                if (c >= 0x80) {
                    break;
                }
                array[at + start] = (byte) c;
                start++;
            }
            out.position(out.position() + start);
        }
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | (cp >> 18)));
                out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.put((byte) (0x80 | (cp & 0x3F)));
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }
}
