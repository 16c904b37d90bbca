package io.checkedmqtt.core.auth;

/**
 * What one ACL line grants for the topics its filter matches, as the second word of Mosquitto's
 * {@code topic} and {@code pattern} lines. A line without the word grants {@link #READWRITE}.
 */
public enum Permission {
    /** Nothing, and it wins over every grant of the same section (Mosquitto checks denials first). */
    DENY(0),
    /** Receive messages on the topic (deliveries, retained messages) and subscribe to it. */
    READ(1),
    /** Publish to the topic (including a will). */
    WRITE(2),
    READWRITE(3);

    /** Bit 1: read, bit 2: write. */
    final int bits;

    Permission(int bits) {
        this.bits = bits;
    }

    /** The permission an ACL file spells {@code word}, or null if it is none of the four. */
    public static Permission fromWord(String word) {
        return switch (word) {
            case "deny" -> DENY;
            case "read" -> READ;
            case "write" -> WRITE;
            case "readwrite" -> READWRITE;
            default -> null;
        };
    }
}
