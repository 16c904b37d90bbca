package io.checkedmqtt.broker.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reads client frames (RFC 6455 section 5) as a stream: a frame's payload is unmasked and handed
 * on as its bytes arrive, so a large frame is never held whole. MQTT is a byte stream, so the
 * payloads of binary frames and their continuations are simply concatenated, wherever the frame
 * boundaries fall [MQTT-6.0.0-2]. Control frames (at most 125 bytes) are collected and handed to
 * {@link Events}. The first violation stops the reader with a close status.
 */
final class FrameReader {

    /** What the reader reports to its layer. */
    interface Events {
        void pingReceived(byte[] payload);

        void closeReceived(int status, String reason);

        /** The peer broke the protocol: close with {@code status} (RFC 6455 7.4.1). */
        void violation(int status, String reason);
    }

    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    static final int NORMAL_CLOSURE = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int UNSUPPORTED_DATA = 1003;
    static final int NO_STATUS = 1005;
    static final int INVALID_PAYLOAD = 1007;
    static final int MESSAGE_TOO_BIG = 1009;

    private final long maxFrameBytes;
    private final Events events;

    /** Header bytes of the frame being read: at most 2 + 8 (length) + 4 (mask). */
    private final byte[] header = new byte[14];
    private int headerBytes;
    private int opcode;
    private boolean fin;
    private final byte[] mask = new byte[4];
    private long payloadLeft;
    /** Position in the 4-byte mask of the next payload byte. */
    private int maskIndex;
    private boolean inPayload;
    /** A fragmented binary message has started and not yet finished. */
    private boolean inMessage;
    private byte[] control;
    private int controlBytes;
    private boolean stopped;

    FrameReader(long maxFrameBytes, Events events) {
        this.maxFrameBytes = maxFrameBytes;
        this.events = events;
    }

    /** Reads all of {@code in}; payload bytes of data frames are unmasked into {@code out}, which has room for them. */
    void read(ByteBuffer in, ByteBuffer out) {
        while (in.hasRemaining() && !stopped) {
            if (!inPayload) {
                readHeader(in);
            } else if (control != null) {
                readControl(in);
            } else {
                readData(in, out);
            }
        }
        in.position(in.limit());
    }

    private void readHeader(ByteBuffer in) {
        header[headerBytes++] = in.get();
        int needed = headerLength();
        if (needed < 0 || headerBytes < needed) {
            return;
        }
        headerBytes = 0;
        startFrame();
    }

    /** The full header length once the first two bytes are known, else -1. */
    private int headerLength() {
        if (headerBytes < 2) {
            return -1;
        }
        int length7 = header[1] & 0x7F;
        int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        boolean masked = (header[1] & 0x80) != 0;
        return 2 + lengthBytes + (masked ? 4 : 0);
    }

    private void startFrame() {
        fin = (header[0] & 0x80) != 0;
        opcode = header[0] & 0x0F;
        boolean masked = (header[1] & 0x80) != 0;
        int length7 = header[1] & 0x7F;
        long length = length7;
        int at = 2;
        if (length7 == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            at = 4;
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            at = 10;
        }
        if ((header[0] & 0x70) != 0) {
            stop(PROTOCOL_ERROR, "reserved bits set, and no extension was negotiated");
        } else if (!masked) {
            stop(PROTOCOL_ERROR, "client frames must be masked (RFC 6455 5.1)");
        } else if (length < 0) {
            stop(PROTOCOL_ERROR, "payload length with its most significant bit set");
        } else if (opcode >= OP_CLOSE) {
            startControl(length);
        } else {
            startData(length);
        }
        if (stopped) {
            return;
        }
        System.arraycopy(header, at, mask, 0, 4);
        maskIndex = 0;
        payloadLeft = length;
        inPayload = true;
        if (length == 0) {
            endPayload();
        }
    }

    private void startControl(long length) {
        if (opcode != OP_CLOSE && opcode != OP_PING && opcode != OP_PONG) {
            stop(PROTOCOL_ERROR, "reserved control opcode 0x" + Integer.toHexString(opcode));
        } else if (!fin || length > 125) {
            stop(PROTOCOL_ERROR, "control frames must be whole and at most 125 bytes (RFC 6455 5.5)");
        } else {
            control = new byte[(int) length];
            controlBytes = 0;
        }
    }

    private void startData(long length) {
        if (opcode == OP_TEXT) {
            stop(UNSUPPORTED_DATA, "[MQTT-6.0.0-1] MQTT is sent in binary frames, this was a text frame");
        } else if (opcode != OP_BINARY && opcode != OP_CONTINUATION) {
            stop(PROTOCOL_ERROR, "reserved data opcode 0x" + Integer.toHexString(opcode));
        } else if (opcode == OP_CONTINUATION && !inMessage) {
            stop(PROTOCOL_ERROR, "a continuation frame with no message to continue");
        } else if (opcode == OP_BINARY && inMessage) {
            stop(PROTOCOL_ERROR, "a new message began before the fragmented one ended");
        } else if (length > maxFrameBytes) {
            stop(MESSAGE_TOO_BIG, "a frame of " + length + " bytes is larger than the maximum packet size, "
                    + maxFrameBytes + " bytes");
        } else {
            inMessage = !fin;
        }
    }

    private void readData(ByteBuffer in, ByteBuffer out) {
        int n = (int) Math.min(payloadLeft, in.remaining());
        int index = maskIndex;
        int end = in.position() + n;
        int i = in.position();
        // eight bytes at a time where the buffers allow, with the mask turned to where it stands
        if (n >= 8) {
            long wide = 0;
            for (int k = 0; k < 8; k++) {
                wide = (wide << 8) | (mask[(index + k) & 3] & 0xFF);
            }
            for (; i + 8 <= end; i += 8) {
                out.putLong(in.getLong(i) ^ wide);
            }
        }
        for (; i < end; i++) {
            out.put((byte) (in.get(i) ^ mask[(index + i - in.position()) & 3]));
        }
        maskIndex = (index + n) & 3;
        in.position(end);
        payloadLeft -= n;
        if (payloadLeft == 0) {
            endPayload();
        }
    }

    private void readControl(ByteBuffer in) {
        while (in.hasRemaining() && payloadLeft > 0) {
            control[controlBytes] = (byte) (in.get() ^ mask[maskIndex]);
            controlBytes++;
            maskIndex = (maskIndex + 1) & 3;
            payloadLeft--;
        }
        if (payloadLeft == 0) {
            endPayload();
        }
    }

    private void endPayload() {
        inPayload = false;
        if (control == null) {
            return;
        }
        byte[] payload = control;
        control = null;
        switch (opcode) {
            case OP_PING -> events.pingReceived(payload);
            case OP_CLOSE -> closeFrame(payload);
            default -> {
                // an unsolicited pong is allowed and needs no answer (RFC 6455 5.5.3)
            }
        }
    }

    private void closeFrame(byte[] payload) {
        stopped = true;
        if (payload.length == 0) {
            events.closeReceived(NO_STATUS, "");
            return;
        }
        int status = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        if (payload.length == 1 || !validStatus(status)) {
            events.violation(PROTOCOL_ERROR, "bad close status " + status);
            return;
        }
        String reason;
        try {
            reason = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(payload, 2, payload.length - 2)).toString();
        } catch (CharacterCodingException e) {
            events.violation(INVALID_PAYLOAD, "close reason is not UTF-8");
            return;
        }
        events.closeReceived(status, reason);
    }

    /** Close codes a peer may send (RFC 6455 7.4.1 and 7.4.2): 1000-1003, 1007-1011, 3000-4999. */
    private static boolean validStatus(int status) {
        return (status >= 1000 && status <= 1003) || (status >= 1007 && status <= 1011)
                || (status >= 3000 && status <= 4999);
    }

    private void stop(int status, String reason) {
        stopped = true;
        events.violation(status, reason);
    }
}
