package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.effect.DurableRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The layout of the broker's durable files, and how to read one back whatever state a crash or a
 * bad disk left it in. A file is an 8-byte header naming its kind ({@link #LOG_FILE} or
 * {@link #SNAPSHOT_FILE}) and then frames:
 * <pre>
 *   magic "CMQF" (4 bytes) | payload length n (4 bytes) | CRC-32C of the payload (4 bytes) | payload (n bytes)
 * </pre>
 * A payload is a run of records ({@link RecordCodec}). The shell writes one frame per loop pass,
 * so a frame is the unit that is durable or not: a crash never leaves half a pass behind.
 *
 * <p>{@link #scan} sorts a file's bytes into valid frames and damage. A frame is valid when its
 * magic, a length that fits in the file, and its checksum agree. After the last valid frame, bytes
 * that hold no valid frame are a <em>torn tail</em>: a write the crash interrupted, or the pages
 * a power loss left unwritten; they are cut off. Damage followed by a valid frame is
 * <em>corrupt middle</em>: something destroyed bytes that were once written whole; the shell
 * refuses to start on it unless told to salvage what can be read. The magic lets the scan find
 * the next frame after damage without trying a checksum at every byte.
 */
public final class LogFrames {

    /** Header of a log segment: records appended pass by pass. */
    public static final long LOG_FILE = 0x434D5154_4C4F4731L;       // "CMQTLOG1"
    /** Header of a snapshot: the records that build one whole state from nothing. */
    public static final long SNAPSHOT_FILE = 0x434D5154_534E5031L;  // "CMQTSNP1"
    public static final int FILE_HEADER_BYTES = 8;
    public static final int FRAME_MAGIC = 0x434D5146;               // "CMQF"
    public static final int FRAME_HEADER_BYTES = 12;
    /** No frame is larger: a length field above it is damage, not a frame. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 30;

    private LogFrames() {
    }

    /**
     * Completes the frame that starts at {@code frameStart} in {@code buffer}: its header bytes
     * were left free and its payload runs from behind them to the buffer's position.
     */
    public static void seal(ByteBuffer buffer, int frameStart) {
        int payloadStart = frameStart + FRAME_HEADER_BYTES;
        int length = buffer.position() - payloadStart;
        if (length <= 0 || length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("frame payload of " + length + " bytes");
        }
        buffer.putInt(frameStart, FRAME_MAGIC);
        buffer.putInt(frameStart + 4, length);
        buffer.putInt(frameStart + 8, checksum(buffer, payloadStart, length));
    }

    /** A valid frame: where its payload starts in the file and how long it is. */
    public record Frame(int payloadOffset, int length) {
    }

    /** Bytes between two valid frames that hold none: the file was damaged there. */
    public record Damage(int offset, int length) {
    }

    /**
     * What a file holds.
     *
     * @param frames  the valid frames, in order
     * @param damage  corrupt middles, in order: empty for a file that crashes alone can leave
     * @param end     where the last valid frame ends: the file's length once its tail is cut
     * @param tail    bytes after {@code end} that hold no valid frame (a torn tail); 0 for none
     */
    public record Scan(List<Frame> frames, List<Damage> damage, int end, int tail) {
        public Scan {
            frames = List.copyOf(frames);
            damage = List.copyOf(damage);
        }
    }

    /** Reads the frames of {@code file} from {@code from} (after its file header) to its limit. */
    public static Scan scan(ByteBuffer file, int from) {
        int limit = file.limit();
        List<Frame> frames = new ArrayList<>();
        List<Damage> damage = new ArrayList<>();
        int pos = from;
        while (pos < limit) {
            if (validAt(file, pos)) {
                int length = file.getInt(pos + 4);
                frames.add(new Frame(pos + FRAME_HEADER_BYTES, length));
                pos += FRAME_HEADER_BYTES + length;
                continue;
            }
            int next = nextValid(file, pos + 1);
            if (next < 0) {
                break;
            }
            damage.add(new Damage(pos, next - pos));
            pos = next;
        }
        return new Scan(frames, damage, pos, limit - pos);
    }

    /** Hands every record of one frame to {@code out}, in order. */
    public static void records(ByteBuffer file, Frame frame, Consumer<DurableRecord> out) {
        ByteBuffer payload = file.duplicate();
        payload.limit(frame.payloadOffset() + frame.length()).position(frame.payloadOffset());
        while (payload.hasRemaining()) {
            out.accept(RecordCodec.read(payload));
        }
    }

    private static boolean validAt(ByteBuffer file, int pos) {
        int limit = file.limit();
        if (limit - pos < FRAME_HEADER_BYTES || file.getInt(pos) != FRAME_MAGIC) {
            return false;
        }
        int length = file.getInt(pos + 4);
        return length > 0 && length <= MAX_PAYLOAD_BYTES && length <= limit - pos - FRAME_HEADER_BYTES
                && file.getInt(pos + 8) == checksum(file, pos + FRAME_HEADER_BYTES, length);
    }

    private static int nextValid(ByteBuffer file, int from) {
        for (int pos = from; pos <= file.limit() - FRAME_HEADER_BYTES; pos++) {
            if (file.getInt(pos) == FRAME_MAGIC && validAt(file, pos)) {
                return pos;
            }
        }
        return -1;
    }

    private static int checksum(ByteBuffer buffer, int offset, int length) {
        ByteBuffer range = buffer.duplicate();
        range.limit(offset + length).position(offset);
        CRC32C crc = new CRC32C();
        crc.update(range);
        return (int) crc.getValue();
    }
}
