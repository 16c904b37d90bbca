package io.checkedmqtt.broker;

import java.io.IOException;

/**
 * Persistence cannot go on, and the message says why in words an operator can act on: the
 * directory cannot be created or written, another broker holds it, a file is damaged in its
 * middle. At start the broker does not start; while running it stops (nothing that depends on
 * records that are not durable is sent).
 */
public final class PersistenceException extends IOException {

    private static final long serialVersionUID = 1L;

    public PersistenceException(String message) {
        super(message);
    }

    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
