package io.checkedmqtt.broker.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helper: frames as a client writes them (masked, or not when a test wants it), and server frames read back. */
final class ClientFrames {

    /** One frame as the server wrote it. */
    record ServerFrame(boolean fin, int opcode, byte[] payload) {
        int closeStatus() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static final Random RANDOM = new Random(42);

    private ClientFrames() {
    }

    static String upgrade(String path, String... extraHeaders) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked) {
        return frame(fin ? 0x80 | opcode : opcode, payload, masked, payload.length);
    }

    /** A frame with a first byte of the caller's choosing and a declared length that may lie. */
    static byte[] frame(int firstByte, byte[] payload, boolean masked, long declaredLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (declaredLength >= 0 && declaredLength < 126) {
            out.write(maskBit | (int) declaredLength);
        } else if (declaredLength >= 0 && declaredLength < 65_536) {
            out.write(maskBit | 126);
            out.write((int) (declaredLength >>> 8));
            out.write((int) declaredLength);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (declaredLength >>> (8 * i)));
            }
        }
        byte[] key = new byte[4];
        RANDOM.nextBytes(key);
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] binary(byte[] payload) {
        return frame(true, FrameReader.OP_BINARY, payload, true);
    }

    /** Reads the server's frames from {@code bytes}; the server never masks. */
    static List<ServerFrame> read(ByteBuffer bytes) {
        List<ServerFrame> frames = new ArrayList<>();
        while (bytes.hasRemaining()) {
            int first = bytes.get() & 0xFF;
            int second = bytes.get() & 0xFF;
            if ((second & 0x80) != 0) {
                throw new AssertionError("a server frame was masked");
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = bytes.getShort() & 0xFFFF;
            } else if (length == 127) {
                length = bytes.getLong();
            }
            byte[] payload = new byte[(int) length];
            bytes.get(payload);
            frames.add(new ServerFrame((first & 0x80) != 0, first & 0x0F, payload));
        }
        return frames;
    }
}
