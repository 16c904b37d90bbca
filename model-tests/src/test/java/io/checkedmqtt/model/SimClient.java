package io.checkedmqtt.model;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * A correct MQTT client, as the spec's clients are: it keeps its unacknowledged publishes by
 * packet identifier in publish order (cOut) and the QoS 2 identifiers it delivered and whose
 * PUBREL it awaits (cIn); when it resumes a session it resends its publishes in their original
 * order [MQTT-4.6.0-1]; it hands a QoS 2 message to its application once [MQTT-4.3.3].
 * Acknowledgements go out at once, or (when {@code deferAcks}) wait in {@link #pendingAcks} for
 * the runner to send them in any order.
 *
 * <p>It used to resend in identifier order, which breaks the publish order as soon as a freed
 * low identifier goes to a newer message; trace validation against {@code tla/Mqtt.tla}, whose
 * client resends in publish order, rejected such a run.
 */
final class SimClient {

    /** One unacknowledged publish of this client. */
    record InFlight(String message, int qos, boolean released) {
    }

    enum Phase { OFFLINE, OPENED, CONNECTING, CONNECTED, DISCONNECTING }

    final String id;
    Phase phase = Phase.OFFLINE;
    Connect lastConnect;
    /** Whether the session of the last accepted connection outlives it. */
    boolean keep;
    /** Insertion order is publish order; a PUBREC replaces the value and keeps the place. */
    final LinkedHashMap<Integer, InFlight> cOut = new LinkedHashMap<>();
    final Set<Integer> cIn = new HashSet<>();
    final List<Packet> pendingAcks = new ArrayList<>();

    SimClient(String id) {
        this.id = id;
    }

    int freePacketId() {
        int pid = 1;
        while (cOut.containsKey(pid)) {
            pid++;
        }
        return pid;
    }

    /** The server accepted the CONNECT: what the client sends first (its resends, or nothing). */
    List<Packet> accepted(Connect connect, boolean sessionPresent, boolean v5) {
        phase = Phase.CONNECTED;
        lastConnect = connect;
        keep = v5 ? connect.properties().integer(io.checkedmqtt.core.packet.PropertyId.SESSION_EXPIRY_INTERVAL, 0) > 0
                : !connect.cleanStart();
        pendingAcks.clear();
        if (connect.cleanStart() || !sessionPresent) {
            // A clean start, or a server without our session (say it expired): drop ours rather
            // than resend into a new session, where a repeated QoS 2 PUBLISH would be new
            // [v5 MQTT-3.2.2-5; 3.1.1 3.2.2.2 leaves the client the choice].
            forget();
            return List.of();
        }
        List<Packet> resend = new ArrayList<>();
        for (var e : cOut.entrySet()) {
            InFlight f = e.getValue();
            resend.add(f.released() ? new PubRel(e.getKey())
                    : new Publish(World.TOPIC, f.message().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    QoS.of(f.qos()), false, true, e.getKey(), io.checkedmqtt.core.packet.Properties.EMPTY));
        }
        return resend;
    }

    /** The accepted connection ended: a session that is not kept ends on both sides. */
    void ended() {
        pendingAcks.clear();
        if (!keep) {
            forget();
        }
    }

    void forget() {
        cOut.clear();
        cIn.clear();
    }

    /**
     * Reads one packet from the server. Returns the packets to send back now; a delivered
     * message is reported through {@code delivered}.
     */
    List<Packet> read(Packet packet, boolean deferAcks, java.util.function.BiConsumer<String, Integer> delivered) {
        List<Packet> reply = new ArrayList<>();
        if (packet instanceof Publish p) {
            String m = new String(p.payload(), java.nio.charset.StandardCharsets.UTF_8);
            int q = p.qos().value();
            boolean fresh = q < 2 || !cIn.contains(p.packetId());
            if (fresh) {
                delivered.accept(m, q);
            }
            if (q == 1) {
                reply.add(new PubAck(p.packetId()));
            } else if (q == 2) {
                cIn.add(p.packetId());
                reply.add(new PubRec(p.packetId()));
            }
        } else if (packet instanceof PubAck a) {
            InFlight f = cOut.get(a.packetId());
            if (f != null && f.qos() == 1) {
                cOut.remove(a.packetId());
            }
        } else if (packet instanceof PubRec r) {
            InFlight f = cOut.get(r.packetId());
            if (f != null && f.qos() == 2) {
                cOut.put(r.packetId(), new InFlight(f.message(), 2, true));
                reply.add(new PubRel(r.packetId()));
            }
        } else if (packet instanceof PubRel r) {
            cIn.remove(r.packetId());
            reply.add(new PubComp(r.packetId()));
        } else if (packet instanceof PubComp c) {
            InFlight f = cOut.get(c.packetId());
            if (f != null && f.released()) {
                cOut.remove(c.packetId());
            }
        }
        if (deferAcks) {
            pendingAcks.addAll(reply);
            return List.of();
        }
        return reply;
    }
}
