package io.checkedmqtt.broker.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small pieces of HTTP syntax: comma-separated lists, tokens, percent-encoding. */
public final class HttpTokens {

    private HttpTokens() {
    }

    /** The elements of a comma-separated field value (RFC 9110 5.6.1), trimmed, empty ones left out. */
    public static List<String> list(String value, boolean lowerCase) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String element : value.split(",")) {
                if (!element.isBlank()) {
                    out.add(lowerCase ? element.strip().toLowerCase(Locale.ROOT) : element.strip());
                }
            }
        }
        return out;
    }

    /** Whether the comma-separated {@code value} holds {@code token} (compared as given). */
    static boolean contains(String value, String token) {
        return list(value, false).contains(token);
    }

    /** A token character of RFC 9110 5.6.2 (methods and field names are tokens). */
    static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Percent-decodes {@code s} as UTF-8 (RFC 3986 2.1); in a query, {@code +} is a space.
     *
     * @throws IllegalArgumentException for a bad escape or bytes that are not UTF-8
     */
    public static String decode(String s, boolean query) {
        if (s.indexOf('%') < 0 && !(query && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int high = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (low < 0) {
                    throw new IllegalArgumentException("bad percent-escape at " + i);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (query && c == '+') {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-escapes that are not UTF-8");
        }
    }

    /** Percent-encodes everything but unreserved characters (RFC 3986 2.3), for one path segment or query value. */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
