package io.checkedmqtt.bench.load;

/** The broker sent bytes the load tool cannot parse; the connection is closed and counted as an error. */
final class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedPacketException(final String message) {
        super(message, null, false, false);
    }
}
