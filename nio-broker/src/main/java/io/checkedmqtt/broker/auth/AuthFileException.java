package io.checkedmqtt.broker.auth;

/** A password, ACL or SCRAM file the broker cannot use; the message names the file and line. */
public final class AuthFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthFileException(String message) {
        super(message);
    }

    static AuthFileException at(String source, int line, String what) {
        return new AuthFileException(source + ":" + line + ": " + what);
    }
}
