package io.checkedmqtt.broker.websocket;

import io.checkedmqtt.broker.layer.Outbound;
import io.checkedmqtt.broker.layer.Scratch;
import io.checkedmqtt.broker.layer.StreamLayer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * MQTT over WebSocket (RFC 6455; MQTT section 6), server side, without a socket. First the HTTP
 * upgrade ({@link UpgradeRequest}); then binary frames in both directions, their payloads one
 * MQTT byte stream. Client frames are read by {@link FrameReader}; each batch of MQTT bytes the
 * broker sends becomes one unmasked binary frame. Pings are answered with pongs; a close frame is
 * answered with one and ends the layer; a protocol violation sends a close frame with the
 * status RFC 6455 7.4.1 gives it and ends the layer.
 */
public final class WebSocketLayer implements StreamLayer {

    /** The longest request head accepted before the blank line: enough for browsers' headers. */
    static final int MAX_REQUEST_HEAD = 8192;
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private final String path;
    private final FrameReader frames;
    private final Outbound outbound = new Outbound();
    /** The request head read so far, before the upgrade; null once upgraded. */
    private ByteBuffer head = ByteBuffer.allocate(512);
    /** Where MQTT bytes go up: shared by the loop's WebSocket layers. */
    private final Scratch scratch;
    private boolean established;
    private String endReason;
    private String subprotocol;

    /**
     * @param path          the request path served, e.g. {@code /mqtt}
     * @param maxFrameBytes the largest frame payload accepted (the broker's maximum packet size)
     */
    public WebSocketLayer(String path, long maxFrameBytes) {
        this(path, maxFrameBytes, new Scratch());
    }

    public WebSocketLayer(String path, long maxFrameBytes, Scratch scratch) {
        this.path = path;
        this.frames = new FrameReader(maxFrameBytes, new Reactions());
        this.scratch = scratch;
    }

    @Override
    public ByteBuffer receive(ByteBuffer fromBelow) {
        // payload bytes are never more than the frame bytes they came in
        ByteBuffer plain = scratch.cleared(fromBelow.remaining());
        if (endReason != null) {
            fromBelow.position(fromBelow.limit());
        } else if (!established) {
            readHead(fromBelow);
        }
        if (established && endReason == null) {
            frames.read(fromBelow, plain);
        }
        fromBelow.position(fromBelow.limit());
        plain.flip();
        return plain;
    }

    /** Collects the request head up to its blank line, then answers it. Bytes after it are frames. */
    private void readHead(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (!head.hasRemaining()) {
                if (head.capacity() >= MAX_REQUEST_HEAD) {
                    answer(UpgradeRequest.refuse(431, "Request Header Fields Too Large",
                            "the request head is longer than " + MAX_REQUEST_HEAD + " bytes"));
                    return;
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_REQUEST_HEAD, head.capacity() * 2));
                head.flip();
                head = bigger.put(head);
            }
            head.put(in.get());
            if (endsWithBlankLine()) {
                String text = new String(head.array(), 0, head.position() - END_OF_HEAD.length,
                        StandardCharsets.ISO_8859_1);
                answer(UpgradeRequest.answer(text, path));
                return;
            }
        }
    }

    private boolean endsWithBlankLine() {
        int end = head.position();
        if (end < END_OF_HEAD.length) {
            return false;
        }
        for (int i = 0; i < END_OF_HEAD.length; i++) {
            if (head.get(end - END_OF_HEAD.length + i) != END_OF_HEAD[i]) {
                return false;
            }
        }
        return true;
    }

    private void answer(UpgradeRequest.Answer answer) {
        head = null;
        outbound.add(ByteBuffer.wrap(answer.bytes()));
        if (answer.accepted()) {
            established = true;
            subprotocol = answer.subprotocol();
        } else {
            endReason = answer.reason();
        }
    }

    @Override
    public void send(ByteBuffer[] fromAbove, int offset, int length) {
        if (!established || endReason != null) {
            return;
        }
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += fromAbove[i].remaining();
        }
        if (total == 0) {
            return;
        }
        ByteBuffer target = outbound.startWriting((int) Math.min(Integer.MAX_VALUE, total + 10));
        writeHeader(target, FrameReader.OP_BINARY, total);
        for (int i = offset; i < offset + length; i++) {
            target.put(fromAbove[i]);
        }
        outbound.doneWriting();
    }

    /** A server frame's header: FIN, the opcode, the length in its shortest form, no mask (RFC 6455 5.1). */
    private static void writeHeader(ByteBuffer target, int opcode, long length) {
        target.put((byte) (0x80 | opcode));
        if (length < 126) {
            target.put((byte) length);
        } else if (length < 65_536) {
            target.put((byte) 126).putShort((short) length);
        } else {
            target.put((byte) 127).putLong(length);
        }
    }

    private void control(int opcode, byte[] payload) {
        ByteBuffer target = outbound.startWriting(payload.length + 2);
        writeHeader(target, opcode, payload.length);
        target.put(payload);
        outbound.doneWriting();
    }

    private void closeFrame(int status, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 123);   // a control frame carries at most 125 bytes
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (status >>> 8);
        payload[1] = (byte) status;
        System.arraycopy(text, 0, payload, 2, length);
        control(FrameReader.OP_CLOSE, payload);
    }

    @Override
    public void close() {
        if (endReason != null) {
            return;
        }
        if (established) {
            closeFrame(FrameReader.NORMAL_CLOSURE, "");
        }
        endReason = "closed by broker";
    }

    @Override
    public Outbound outbound() {
        return outbound;
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public String endReason() {
        return endReason;
    }

    /** The subprotocol selected in the upgrade: {@code mqtt} (or {@code mqttv3.1}); null before it. */
    public String subprotocol() {
        return subprotocol;
    }

    /** What the frame reader reports, answered on the wire. */
    private final class Reactions implements FrameReader.Events {

        @Override
        public void pingReceived(byte[] payload) {
            control(FrameReader.OP_PONG, payload);
        }

        @Override
        public void closeReceived(int status, String reason) {
            // echo the status, as RFC 6455 5.5.1 suggests; a close without one is answered 1000
            closeFrame(status == FrameReader.NO_STATUS ? FrameReader.NORMAL_CLOSURE : status, "");
            endReason = "closed by client (WebSocket close " + status + (reason.isEmpty() ? "" : " " + reason) + ")";
        }

        @Override
        public void violation(int status, String reason) {
            closeFrame(status, reason);
            endReason = "WebSocket: " + reason + " (close " + status + ")";
        }
    }
}
