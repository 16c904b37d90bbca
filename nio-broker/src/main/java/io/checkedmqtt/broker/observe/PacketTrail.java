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
 * <p>It is written for every packet, on the loop thread, so it allocates nothing there: each
 * packet's facts go into parallel arrays used as a ring (a time, the type, the size, the packet
 * identifier, a QoS, a reason code and a topic, all primitives or references the packet already
 * holds). It never keeps the packet itself: a PUBLISH's payload (up to 256 MB) must not live on
 * because the dashboard might ask about it.
 */
public final class PacketTrail {

    public static final int CAPACITY = 16;

    /** One packet as the trail remembers it; {@code packetId} 0, {@code qos} -1, and nulls where the type has none. */
    public record Entry(long atMillis, boolean outgoing, PacketType type, int bytes, int packetId, int qos,
                        boolean retain, ReasonCode reason, String topic) {
    }

    private final long[] at = new long[CAPACITY];
    private final boolean[] outgoing = new boolean[CAPACITY];
    private final PacketType[] type = new PacketType[CAPACITY];
    private final int[] bytes = new int[CAPACITY];
    private final int[] packetId = new int[CAPACITY];
    /** For a PUBLISH: its QoS, plus 4 when it is retained; -1 for other types. */
    private final byte[] qosAndRetain = new byte[CAPACITY];
    private final ReasonCode[] reason = new ReasonCode[CAPACITY];
    /** A PUBLISH's topic, the first filter of a SUBSCRIBE or UNSUBSCRIBE, a CONNECT's client identifier. */
    private final String[] topic = new String[CAPACITY];
    private long written;

    /** Remembers a packet read from ({@code outgoing} false) or queued to the client, with its frame's size. */
    public void record(boolean outgoingPacket, Packet packet, int frameBytes, long nowMillis) {
        int i = (int) (written++ % CAPACITY);
        at[i] = nowMillis;
        outgoing[i] = outgoingPacket;
        type[i] = packet.type();
        bytes[i] = frameBytes;
        packetId[i] = 0;
        qosAndRetain[i] = -1;
        reason[i] = null;
        topic[i] = null;
        if (packet instanceof Publish p) {
            packetId[i] = p.packetId();
            qosAndRetain[i] = (byte) (p.qos().value() | (p.retain() ? 4 : 0));
            topic[i] = p.topic();
        } else if (packet instanceof PubAck a) {
            identified(i, a.packetId(), a.reasonCode());
        } else if (packet instanceof PubRec r) {
            identified(i, r.packetId(), r.reasonCode());
        } else if (packet instanceof PubRel r) {
            identified(i, r.packetId(), r.reasonCode());
        } else if (packet instanceof PubComp c) {
            identified(i, c.packetId(), c.reasonCode());
        } else if (packet instanceof Subscribe s) {
            packetId[i] = s.packetId();
            topic[i] = s.subscriptions().isEmpty() ? null : s.subscriptions().get(0).topicFilter();
        } else if (packet instanceof SubAck s) {
            identified(i, s.packetId(), s.reasonCodes().isEmpty() ? null : s.reasonCodes().get(0));
        } else if (packet instanceof Unsubscribe u) {
            packetId[i] = u.packetId();
            topic[i] = u.topicFilters().isEmpty() ? null : u.topicFilters().get(0);
        } else if (packet instanceof UnsubAck u) {
            identified(i, u.packetId(), u.reasonCodes().isEmpty() ? null : u.reasonCodes().get(0));
        } else if (packet instanceof Connect c) {
            topic[i] = c.clientId();
        } else if (packet instanceof Connack c) {
            reason[i] = c.reasonCode();
        } else if (packet instanceof Disconnect d) {
            reason[i] = d.reasonCode();
        } else if (packet instanceof Auth a) {
            reason[i] = a.reasonCode();
        }
    }

    private void identified(int i, int id, ReasonCode code) {
        packetId[i] = id;
        reason[i] = code;
    }

    /** The packets remembered, newest first. */
    public List<Entry> newestFirst() {
        int count = (int) Math.min(written, CAPACITY);
        List<Entry> out = new ArrayList<>(count);
        for (int k = 1; k <= count; k++) {
            int i = (int) ((written - k) % CAPACITY);
            int q = qosAndRetain[i];
            out.add(new Entry(at[i], outgoing[i], type[i], bytes[i], packetId[i], q < 0 ? -1 : q & 3,
                    q >= 0 && (q & 4) != 0, reason[i], topic[i]));
        }
        return out;
    }
}
