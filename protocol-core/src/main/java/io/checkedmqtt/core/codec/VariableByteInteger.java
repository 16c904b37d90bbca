package io.checkedmqtt.core.codec;

import java.nio.ByteBuffer;

/**
 * The Variable Byte Integer (5.0 section 1.5.5; the Remaining Length of 3.1.1 section 2.2.3):
 * seven bits per byte, least significant group first, high bit set when another byte follows,
 * at most four bytes, so at most 268,435,455.
 */
public final class VariableByteInteger {

    /** The largest value four bytes can hold. */
    public static final int MAXIMUM = 268_435_455;

    private VariableByteInteger() {
    }

    /** How many bytes the shortest encoding of {@code value} takes [MQTT-1.5.5-1]. */
    public static int size(int value) {
        if (value < 0 || value > MAXIMUM) {
            throw new IllegalArgumentException("not a Variable Byte Integer: " + value);
        }
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        return value < 2_097_152 ? 3 : 4;
    }

    /** Writes the shortest encoding of {@code value} [MQTT-1.5.5-1]. */
    public static void write(int value, ByteBuffer out) {
        if (value < 0 || value > MAXIMUM) {
            throw new IllegalArgumentException("not a Variable Byte Integer: " + value);
        }
        int rest = value;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            out.put((byte) (rest > 0 ? digit | 0x80 : digit));
        } while (rest > 0);
    }

    /**
     * Reads one Variable Byte Integer at the buffer's position, inside a frame whose bytes have all
     * arrived (the buffer's limit is the frame's end).
     *
     * @throws DecodeFailure when it runs past the frame, takes more than four bytes, or is not the
     *                       shortest encoding
     */
    static int read(ByteBuffer in, String field) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (!in.hasRemaining()) {
                throw DecodeFailure.truncated(field);
            }
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw nonMinimal(field);
                }
                return value;
            }
        }
        throw tooLong(field);
    }

    static DecodeFailure tooLong(String field) {
        return DecodeFailure.malformed("5.0 section 1.5.5 / 3.1.1 section 2.2.3",
                field + " is a Variable Byte Integer longer than four bytes");
    }

    static DecodeFailure nonMinimal(String field) {
        return DecodeFailure.malformed("MQTT-1.5.5-1", field + " does not use the fewest bytes");
    }
}
