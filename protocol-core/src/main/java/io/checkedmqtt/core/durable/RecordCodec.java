package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.effect.DurableRecord;
import io.checkedmqtt.core.routing.RetainedMessage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * {@link DurableRecord}s as bytes: one tag byte naming the kind, then its fields ({@link Fields}).
 * Records follow each other inside a frame ({@link LogFrames}) with nothing between them; the
 * frame's length says where the last one ends. The tags are the file format: never renumber one.
 */
public final class RecordCodec {

    private static final int SESSION_SAVED = 1;
    private static final int SESSION_ENDED = 2;
    private static final int SUBSCRIBED = 3;
    private static final int UNSUBSCRIBED = 4;
    private static final int MESSAGE_QUEUED = 5;
    private static final int QUEUE_TAKEN = 6;
    private static final int IN_FLIGHT = 7;
    private static final int RELEASED = 8;
    private static final int COMPLETED = 9;
    private static final int QOS2_RECEIVED = 10;
    private static final int QOS2_RELEASED = 11;
    private static final int RETAINED_SET = 12;
    private static final int RETAINED_CLEARED = 13;

    private RecordCodec() {
    }

    /** At least the number of bytes {@link #write} puts out for this record. */
    public static int maxSize(DurableRecord record) {
        if (record instanceof DurableRecord.MessageQueued q) {
            return 1 + Fields.stringSize(q.clientId()) + Fields.publishSize(q.publish()) + 8;
        } else if (record instanceof DurableRecord.InFlight f) {
            return 1 + Fields.stringSize(f.clientId()) + Fields.publishSize(f.publish()) + 1 + 8;
        } else if (record instanceof DurableRecord.SessionSaved s) {
            return 1 + Fields.stringSize(s.clientId()) + 1 + 8 + Fields.willSize(s.will()) + 1 + 8;
        } else if (record instanceof DurableRecord.Subscribed s) {
            return 1 + Fields.stringSize(s.clientId()) + Fields.stringSize(s.topicFilter()) + 3 + 4;
        } else if (record instanceof DurableRecord.Unsubscribed u) {
            return 1 + Fields.stringSize(u.clientId()) + Fields.stringSize(u.topicFilter());
        } else if (record instanceof DurableRecord.RetainedSet r) {
            return 1 + Fields.publishSize(r.message().publish()) + 8;
        } else if (record instanceof DurableRecord.RetainedCleared r) {
            return 1 + Fields.stringSize(r.topic());
        }
        return 1 + Fields.stringSize(((DurableRecord.SessionRecord) record).clientId()) + 4;   // the client and one number
    }

    public static void write(DurableRecord record, ByteBuffer out) {
        if (record instanceof DurableRecord.MessageQueued q) {
            client(MESSAGE_QUEUED, q.clientId(), out);
            Fields.publish(q.publish(), out);
            out.putLong(q.receivedAtMillis());
        } else if (record instanceof DurableRecord.InFlight f) {
            client(IN_FLIGHT, f.clientId(), out);
            Fields.publish(f.publish(), out);
            out.put((byte) (f.released() ? 1 : 0));
            out.putLong(f.expiresAtMillis());
        } else if (record instanceof DurableRecord.Completed c) {
            client(COMPLETED, c.clientId(), out);
            out.putInt(c.packetId());
        } else if (record instanceof DurableRecord.QueueTaken t) {
            client(QUEUE_TAKEN, t.clientId(), out);
            out.putInt(t.count());
        } else if (record instanceof DurableRecord.Released r) {
            client(RELEASED, r.clientId(), out);
            out.putInt(r.packetId());
        } else if (record instanceof DurableRecord.Qos2Received r) {
            client(QOS2_RECEIVED, r.clientId(), out);
            out.putInt(r.packetId());
        } else if (record instanceof DurableRecord.Qos2Released r) {
            client(QOS2_RELEASED, r.clientId(), out);
            out.putInt(r.packetId());
        } else if (record instanceof DurableRecord.SessionSaved s) {
            client(SESSION_SAVED, s.clientId(), out);
            Fields.version(s.version(), out);
            out.putLong(s.expirySeconds());
            Fields.will(s.will(), out);
            out.put((byte) (s.connected() ? 1 : 0));
            out.putLong(s.disconnectedAtMillis());
        } else if (record instanceof DurableRecord.SessionEnded e) {
            client(SESSION_ENDED, e.clientId(), out);
        } else if (record instanceof DurableRecord.Subscribed s) {
            client(SUBSCRIBED, s.clientId(), out);
            Fields.string(s.topicFilter(), out);
            Fields.options(s.options(), out);
            out.putInt(s.subscriptionId());
        } else if (record instanceof DurableRecord.Unsubscribed u) {
            client(UNSUBSCRIBED, u.clientId(), out);
            Fields.string(u.topicFilter(), out);
        } else if (record instanceof DurableRecord.RetainedSet r) {
            out.put((byte) RETAINED_SET);
            Fields.publish(r.message().publish(), out);
            out.putLong(r.message().receivedAtMillis());
        } else if (record instanceof DurableRecord.RetainedCleared r) {
            out.put((byte) RETAINED_CLEARED);
            Fields.string(r.topic(), out);
        }
    }

    /**
     * The record that starts at the buffer's position, which moves past it.
     *
     * @throws RecordFormatException the bytes are no record of this format
     */
    public static DurableRecord read(ByteBuffer in) {
        try {
            return readTagged(in);
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("a record runs past the end of its frame");
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecordFormatException("a record holds a value no record can: " + e.getMessage());
        }
    }

    private static DurableRecord readTagged(ByteBuffer in) {
        int tag = in.get();
        if (tag == RETAINED_SET) {
            return new DurableRecord.RetainedSet(new RetainedMessage(Fields.publish(in), in.getLong()));
        } else if (tag == RETAINED_CLEARED) {
            return new DurableRecord.RetainedCleared(Fields.string(in));
        }
        String client = Fields.string(in);
        return switch (tag) {
            case SESSION_SAVED -> new DurableRecord.SessionSaved(client, Fields.version(in), in.getLong(),
                    Fields.will(in), in.get() != 0, in.getLong());
            case SESSION_ENDED -> new DurableRecord.SessionEnded(client);
            case SUBSCRIBED -> new DurableRecord.Subscribed(client, Fields.string(in), Fields.options(in), in.getInt());
            case UNSUBSCRIBED -> new DurableRecord.Unsubscribed(client, Fields.string(in));
            case MESSAGE_QUEUED -> new DurableRecord.MessageQueued(client, Fields.publish(in), in.getLong());
            case QUEUE_TAKEN -> new DurableRecord.QueueTaken(client, in.getInt());
            case IN_FLIGHT -> new DurableRecord.InFlight(client, Fields.publish(in), in.get() != 0, in.getLong());
            case RELEASED -> new DurableRecord.Released(client, in.getInt());
            case COMPLETED -> new DurableRecord.Completed(client, in.getInt());
            case QOS2_RECEIVED -> new DurableRecord.Qos2Received(client, in.getInt());
            case QOS2_RELEASED -> new DurableRecord.Qos2Released(client, in.getInt());
            default -> throw new RecordFormatException("record kind " + tag);
        };
    }

    private static void client(int tag, String clientId, ByteBuffer out) {
        out.put((byte) tag);
        Fields.string(clientId, out);
    }
}
