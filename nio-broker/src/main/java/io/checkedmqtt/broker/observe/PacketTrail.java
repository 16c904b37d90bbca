package io.checkedmqtt.broker.observe;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} packets of one connection, both ways, for a client's page in the
 * dashboard. Kept only while the HTTP listener is open (nobody else reads it).
 *
 * <p>It is written for every packet, on the loop thread, so it allocates nothing there and touches
 * little memory: each packet's facts are packed into two longs (its time; then the frame's size,
 * the packet identifier, the type, the direction, QoS and retain, the reason code) and a reference
 * to a string the packet already holds (a topic, a filter, a client identifier), in arrays used as a
 * ring. It never keeps the packet itself: a PUBLISH's payload (up to 256 MB) must not live on
 * because the dashboard might ask about it.
 */
public final class PacketTrail {

    public static final int CAPACITY = 16;

    /** One packet as the trail remembers it; {@code packetId} 0, {@code qos} -1, and nulls where the type has none. */
    public record Entry(long atMillis, boolean outgoing, PacketType type, int bytes, int packetId, int qos,
                        boolean retain, ReasonCode reason, String topic) {
    }

    private static final PacketType[] TYPES = PacketType.values();
    private static final ReasonCode[] REASONS = ReasonCode.values();
    // the second long of an entry, from its low bits up
    private static final int ID_SHIFT = 32;          // 16 bits: packet identifier (the size takes the 32 below)
    private static final int TYPE_SHIFT = 48;        // 4 bits: PacketType ordinal
    private static final long OUTGOING = 1L << 52;
    private static final long HAS_QOS = 1L << 53;    // a PUBLISH: QoS in the next 2 bits, then retain
    private static final int QOS_SHIFT = 54;
    private static final long RETAIN = 1L << 56;
    private static final int REASON_SHIFT = 57;      // 7 bits: ReasonCode ordinal + 1, 0 for none

    /** Per entry: the time, then the packed facts. */
    private final long[] facts = new long[2 * CAPACITY];
    /** A PUBLISH's topic, the first filter of a SUBSCRIBE or UNSUBSCRIBE, a CONNECT's client identifier. */
    private final String[] topic = new String[CAPACITY];
    private long written;

    /** Remembers a packet read from ({@code outgoing} false) or queued to the client, with its frame's size. */
    public void record(boolean outgoing, Packet packet, int frameBytes, long nowMillis) {
        int i = (int) (written++ % CAPACITY);
        long packed = (frameBytes & 0xFFFF_FFFFL) | ((long) packet.type().ordinal() << TYPE_SHIFT)
                | (outgoing ? OUTGOING : 0);
        String text = null;
        if (packet instanceof Publish p) {
            packed |= id(p.packetId()) | HAS_QOS | ((long) p.qos().value() << QOS_SHIFT) | (p.retain() ? RETAIN : 0);
            text = p.topic();
        } else if (packet instanceof PubAck a) {
            packed |= id(a.packetId()) | reason(a.reasonCode());
        } else if (packet instanceof PubRec r) {
            packed |= id(r.packetId()) | reason(r.reasonCode());
        } else if (packet instanceof PubRel r) {
            packed |= id(r.packetId()) | reason(r.reasonCode());
        } else if (packet instanceof PubComp c) {
            packed |= id(c.packetId()) | reason(c.reasonCode());
        } else if (packet instanceof Subscribe s) {
            packed |= id(s.packetId());
            text = s.subscriptions().isEmpty() ? null : s.subscriptions().get(0).topicFilter();
        } else if (packet instanceof SubAck s) {
            packed |= id(s.packetId()) | (s.reasonCodes().isEmpty() ? 0 : reason(s.reasonCodes().get(0)));
        } else if (packet instanceof Unsubscribe u) {
            packed |= id(u.packetId());
            text = u.topicFilters().isEmpty() ? null : u.topicFilters().get(0);
        } else if (packet instanceof UnsubAck u) {
            packed |= id(u.packetId()) | (u.reasonCodes().isEmpty() ? 0 : reason(u.reasonCodes().get(0)));
        } else if (packet instanceof Connect c) {
            text = c.clientId();
        } else if (packet instanceof Connack c) {
            packed |= reason(c.reasonCode());
        } else if (packet instanceof Disconnect d) {
            packed |= reason(d.reasonCode());
        } else if (packet instanceof Auth a) {
            packed |= reason(a.reasonCode());
        }
        facts[2 * i] = nowMillis;
        facts[2 * i + 1] = packed;
        topic[i] = text;
    }

    private static long id(int packetId) {
        return (long) (packetId & 0xFFFF) << ID_SHIFT;
    }

    private static long reason(ReasonCode code) {
        return (long) (code.ordinal() + 1) << REASON_SHIFT;
    }

    /** The packets remembered, newest first. */
    public List<Entry> newestFirst() {
        int count = (int) Math.min(written, CAPACITY);
        List<Entry> out = new ArrayList<>(count);
        for (int k = 1; k <= count; k++) {
            int i = (int) ((written - k) % CAPACITY);
            long p = facts[2 * i + 1];
            int reason = (int) (p >>> REASON_SHIFT);
            out.add(new Entry(facts[2 * i], (p & OUTGOING) != 0, TYPES[(int) (p >>> TYPE_SHIFT) & 0xF],
                    (int) p, (int) (p >>> ID_SHIFT) & 0xFFFF, (p & HAS_QOS) != 0 ? (int) (p >>> QOS_SHIFT) & 3 : -1,
                    (p & RETAIN) != 0, reason == 0 ? null : REASONS[reason - 1], topic[i]));
        }
        return out;
    }
}
