package io.checkedmqtt.core.durable;

/**
 * Bytes that passed their frame's checksum do not read as records: written by another version
 * of the format, or by a bug. Never thrown for a torn or corrupt frame: the checksum catches those
 * first ({@link LogFrames}).
 */
public final class RecordFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RecordFormatException(String message) {
        super(message);
    }
}
