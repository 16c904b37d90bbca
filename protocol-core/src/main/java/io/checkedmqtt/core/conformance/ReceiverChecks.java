package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.effect.ClientRule;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketText;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.session.DeliveryStage;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.Session;

/**
 * The client as receiver of the broker's QoS 1 and 2 PUBLISH: it answers with the packet the
 * QoS calls for [v3.1.1 MQTT-4.3.2-2, MQTT-4.3.3-2; v5 MQTT-4.3.2-4, MQTT-4.3.3-8] and the
 * identifier of a PUBLISH it received [v3.1.1 MQTT-2.3.1-6; v5 MQTT-2.2.1-5], and PUBCOMP only
 * for a PUBREL it received [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-11]. The session's in-flight
 * window says what the broker has sent; an identifier the broker sent twice on this connection
 * (a 3.1.1 timed resend, a duplicate fault) may be answered twice. Local to one transition.
 */
final class ReceiverChecks {

    private final Owing owing;
    private final Findings out;

    ReceiverChecks(Owing owing, Findings out) {
        this.owing = owing;
        this.out = out;
    }

    ClientWatch acknowledgement(ClientWatch w, Session s, Packet packet) {
        String line = PacketText.of(packet);
        if (packet instanceof PubAck a) {
            return pubAck(w, s, a.packetId(), line);
        } else if (packet instanceof PubRec r) {
            pubRec(w, s, r.packetId(), line);
            return w;
        }
        PubComp comp = (PubComp) packet;
        return owing.completed(pubComp(w, s, comp.packetId(), line), comp.packetId(), comp.reasonCode(), line, out);
    }

    private ClientWatch pubAck(ClientWatch w, Session s, int id, String line) {
        InflightMessage m = s.inflight().find(id);
        if (w.withheldOut().contains(id)) {
            out.breach(ClientRule.ACK_UNKNOWN_ID, "PUBACK id=" + id + " for a PUBLISH that never reached the client",
                    line);
        } else if (m != null && m.stage() == DeliveryStage.AWAITING_PUBACK) {
            return owing.acknowledged(w, id, out);
        } else if (m != null && !resent(s, id)) {
            out.breach(ClientRule.PUBACK_FOR_QOS2, "PUBACK id=" + id + " for the QoS 2 PUBLISH id=" + id,
                    PacketText.of(m.publish()), line);
        } else if (m == null && !resent(s, id)) {
            out.breach(ClientRule.ACK_UNKNOWN_ID, "PUBACK id=" + id + ", but no PUBLISH the broker sent is in flight"
                    + " with id=" + id, line);
        }
        return w;
    }

    private void pubRec(ClientWatch w, Session s, int id, String line) {
        InflightMessage m = s.inflight().find(id);
        if (w.withheldOut().contains(id)) {
            out.breach(ClientRule.ACK_UNKNOWN_ID, "PUBREC id=" + id + " for a PUBLISH that never reached the client",
                    line);
        } else if (m != null && m.stage() == DeliveryStage.AWAITING_PUBACK && !resent(s, id)) {
            out.breach(ClientRule.PUBREC_FOR_QOS1, "PUBREC id=" + id + " for the QoS 1 PUBLISH id=" + id,
                    PacketText.of(m.publish()), line);
        } else if (m == null && !resent(s, id)) {
            out.breach(ClientRule.ACK_UNKNOWN_ID, "PUBREC id=" + id + ", but no PUBLISH the broker sent is in flight"
                    + " with id=" + id, line);
        }
    }

    private ClientWatch pubComp(ClientWatch w, Session s, int id, String line) {
        InflightMessage m = s.inflight().find(id);
        if (w.withheldOut().contains(id)) {
            out.breach(ClientRule.PUBCOMP_UNKNOWN_ID, "PUBCOMP id=" + id + " for a PUBREL that never reached the"
                    + " client", line);
        } else if (m != null && m.stage() == DeliveryStage.AWAITING_PUBCOMP) {
            return owing.acknowledged(w, id, out);
        } else if (!resent(s, id)) {
            out.breach(ClientRule.PUBCOMP_UNKNOWN_ID, "PUBCOMP id=" + id + ", but the broker sent no PUBREL with id="
                    + id + (m == null ? "" : " (the PUBLISH awaits " + (m.stage() == DeliveryStage.AWAITING_PUBREC
                    ? "PUBREC" : "PUBACK") + ")"), line);
        }
        return w;
    }

    /** The broker sent this identifier more than once on the connection: each copy may be answered. */
    private static boolean resent(Session s, int id) {
        return s.link().resentIds().contains(id);
    }
}
