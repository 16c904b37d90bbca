package io.checkedmqtt.broker.clienttest;

import java.nio.charset.StandardCharsets;

/**
 * A client identifier as a file name that is safe on every common file system and tells
 * identifiers apart: letters, digits, {@code -} and {@code _} stay; every other byte of its UTF-8
 * form (a {@code /}, a dot, a space, {@code %} itself) becomes {@code %XX}, so no name is
 * {@code .} or {@code ..}, hidden, or holds a separator. A name that would grow past 200
 * characters is cut and ends with the identifier's hash, so it stays unique in practice. The
 * empty identifier is {@code %}.
 */
public final class SafeFileName {

    static final int MAX = 200;

    private SafeFileName() {
    }

    public static String of(String clientId) {
        if (clientId.isEmpty()) {
            return "%";
        }
        StringBuilder b = new StringBuilder(clientId.length() + 8);
        for (byte raw : clientId.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        if (b.length() > MAX) {
            String hash = Integer.toHexString(clientId.hashCode());
            return b.substring(0, MAX - hash.length() - 1) + "~" + hash;
        }
        return b.toString();
    }
}
