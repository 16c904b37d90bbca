package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.effect.ClientRule;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.PacketText;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.routing.InboundTopicAliases;
import io.checkedmqtt.core.session.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * The client as sender of QoS 1 and 2 PUBLISH, PUBREL, SUBSCRIBE and UNSUBSCRIBE: packet
 * identifiers unique while in flight [v3.1.1 MQTT-2.3.1-2; v5 MQTT-2.2.1-3], a resend with DUP 1
 * [MQTT-3.3.1-1] and the original identifier [v3.1.1 MQTT-2.3.1-3; v5 MQTT-4.4.0-1], only when a
 * session resumes in 5.0 [v5 MQTT-4.4.0-1], no PUBLISH after its PUBREL [v3.1.1 MQTT-4.3.3-1;
 * v5 MQTT-4.3.3-6], no PUBREL before the PUBREC [v3.1.1 MQTT-4.3.3-1; v5 MQTT-4.3.3-3] and none for
 * an identifier no PUBLISH had [v3.1.1 MQTT-2.3.1-6; v5 MQTT-2.2.1-5]. Local to one transition.
 */
final class SenderChecks {

    private final Owing owing;
    private final Findings out;

    SenderChecks(Owing owing, Findings out) {
        this.owing = owing;
        this.out = out;
    }

    /** A QoS 1 or 2 PUBLISH. */
    ClientWatch publish(ClientWatch w, Session s, Publish p) {
        int id = p.packetId();
        int fingerprint = Fingerprint.of(resolved(s, p));
        String line = PacketText.of(p);
        ConnectionId conn = s.link().connection();
        Flow old = w.flows().get(id);
        List<Note.Breach> found = new ArrayList<>(2);
        ClientWatch next = w;
        if (old != null && old.inFlight() && old.type() == PacketType.PUBLISH && old.fingerprint() == fingerprint) {
            boolean sameConnection = conn.equals(old.connection());
            if (!p.dup()) {
                add(found, ClientRule.RESENT_WITHOUT_DUP, "PUBLISH id=" + id + " was sent again with DUP 0",
                        old.line(), line);
            }
            if (sameConnection && w.version().isV5()) {
                add(found, ClientRule.RESENT_INSIDE_CONNECTION, "PUBLISH id=" + id
                        + " was sent again on the connection it first came on", old.line(), line);
            }
            if (old.stage() == Flow.Stage.PUBCOMP_WITHHELD) {
                add(found, ClientRule.PUBLISH_AFTER_PUBREL, "PUBLISH id=" + id + " was sent again after its PUBREL",
                        old.line(), line);
            }
            next = owing.resent(next, id, sameConnection, found, out);
        } else if (old != null && old.inFlight()) {
            add(found, ClientRule.ID_IN_USE, "PUBLISH id=" + id + " is a new message, but " + old.type() + " id="
                    + id + " is still in flight for the client (" + stageText(old) + ")", old.line(), line);
        } else if (p.dup()) {
            Owed other = owing.owedResendOf(w, fingerprint, id);
            if (other != null) {
                add(found, ClientRule.RESENT_WITH_NEW_ID, "the message of PUBLISH id=" + other.packetId()
                        + " was sent again as id=" + id, other.line(), line);
                next = owing.resentAsOther(next, other, found, out);
            }
        }
        return next.withFlow(new Flow(id, PacketType.PUBLISH, p.qos().value(), fingerprint, line, conn, out.now(),
                Flow.Stage.ANSWERING));
    }

    /** PUBREL: the second half of the client's own QoS 2 PUBLISH. */
    ClientWatch pubRel(ClientWatch w, Session s, PubRel r) {
        int id = r.packetId();
        String line = PacketText.of(r);
        Flow f = w.flows().get(id);
        List<Note.Breach> found = new ArrayList<>(1);
        if (f == null || f.type() != PacketType.PUBLISH || f.qos() != 2) {
            if (!s.awaitingPubRel().contains(id)) {
                add(found, ClientRule.PUBREL_UNKNOWN_ID, "PUBREL id=" + id + ", but no QoS 2 PUBLISH of the client"
                        + " had id=" + id, line);
            }
            return w;
        }
        switch (f.stage()) {
            case ANSWERING, ANSWER_WITHHELD -> add(found, ClientRule.PUBREL_BEFORE_PUBREC, "PUBREL id=" + id
                    + " came before the PUBREC for it reached the client", f.line(), line);
            case PUBCOMP_WITHHELD, DONE -> {
                if (w.version().isV5() && s.link().connection().equals(f.connection())) {
                    add(found, ClientRule.RESENT_INSIDE_CONNECTION, "PUBREL id=" + id
                            + " was sent again on the connection the first one came on", f.line(), line);
                }
            }
            default -> {
                // AWAITING_PUBREL: what the handshake asks for
            }
        }
        ClientWatch next = owing.pubRel(w, id, found, out);
        return next.withFlow(new Flow(id, PacketType.PUBLISH, 2, f.fingerprint(), f.line(), s.link().connection(),
                out.now(), Flow.Stage.ANSWERING));
    }

    /** SUBSCRIBE or UNSUBSCRIBE: a new packet identifier. */
    ClientWatch request(ClientWatch w, int id, PacketType type, int fingerprint, String line) {
        Flow old = w.flows().get(id);
        if (old != null && old.inFlight()) {
            add(new ArrayList<>(1), ClientRule.ID_IN_USE, type + " id=" + id + " took an identifier still in flight"
                    + " for the client (" + old.type() + ", " + stageText(old) + ")", old.line(), line);
        }
        return w.withFlow(new Flow(id, type, 0, fingerprint, line, w.connection(), out.now(), Flow.Stage.ANSWERING));
    }

    private void add(List<Note.Breach> found, ClientRule rule, String detail, String... packets) {
        Note.Breach b = out.breach(rule, detail, packets);
        if (b != null) {
            found.add(b);
        }
    }

    private static String stageText(Flow f) {
        return switch (f.stage()) {
            case ANSWERING -> "being answered";
            case ANSWER_WITHHELD -> "its answer never reached the client";
            case AWAITING_PUBREL -> "PUBREC sent, PUBREL not yet received";
            case PUBCOMP_WITHHELD -> "PUBREL received, its PUBCOMP never reached the client";
            case DONE -> "done";
        };
    }

    /** The PUBLISH with a 5.0 Topic Alias resolved, as the session will see it (unchanged when it cannot be). */
    private static Publish resolved(Session s, Publish p) {
        if (!p.topic().isEmpty() || p.properties().isEmpty()) {
            return p;
        }
        InboundTopicAliases.Resolution r = s.link().inboundAliases().resolve(p);
        return r.isError() ? p : r.publish();
    }
}
