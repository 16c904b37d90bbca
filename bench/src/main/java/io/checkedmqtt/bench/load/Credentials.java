package io.checkedmqtt.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * The User Name and Password a load run puts in every CONNECT ({@code --username},
 * {@code --password}), already encoded; both null for no credentials.
 */
record Credentials(byte[] username, byte[] password) {

    static final Credentials NONE = new Credentials(null, null);

    static Credentials of(final Options options) {
        if (options.username() == null && options.password() == null) {
            return NONE;
        }
        return new Credentials(utf8(options.username()), utf8(options.password()));
    }

    private static byte[] utf8(final String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The CONNECT flags bits: 0x80 User Name, 0x40 Password. */
    int flags() {
        return (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
    }

    /** Bytes the two fields add to the CONNECT payload. */
    int encodedLength() {
        return (username != null ? 2 + username.length : 0) + (password != null ? 2 + password.length : 0);
    }
}
