package io.checkedmqtt.broker.auth;

import java.io.IOException;

/**
 * A password, ACL or SCRAM file the broker cannot use; the message names the file and line. An
 * {@link IOException}, so that a broker that cannot start for it says so like for any other file.
 */
public final class AuthFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public AuthFileException(String message) {
        super(message);
    }

    static AuthFileException at(String source, int line, String what) {
        return new AuthFileException(source + ":" + line + ": " + what);
    }
}
