package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.routing.InboundTopicAliases;
import io.checkedmqtt.core.routing.PayloadFormat;
import io.checkedmqtt.core.topic.TopicFilter;

/**
 * The server as receiver of PUBLISH and PUBREL from one client. A PUBLISH the server accepts
 * becomes a {@link BrokerRequest.RouteMessage}: the broker core routes it and then sends the
 * PUBACK / PUBREC, once, with the reason code routing decided. QoS 2 follows the spec's
 * "method B": the message is handed on when the PUBLISH first arrives and only its packet
 * identifier is kept until PUBREL, so a repeated PUBLISH is acknowledged (here, at once) but
 * never handed on twice [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-8, -10, -11, -12].
 */
final class Inbound {

    private final BrokerConfig config;
    private final Lifecycle lifecycle;

    Inbound(BrokerConfig config, Lifecycle lifecycle) {
        this.config = config;
        this.lifecycle = lifecycle;
    }

    Session publish(Session s, Publish publish, long now, SessionStepBuilder out) {
        Link link = s.link().touched(now);
        boolean v5 = s.version().isV5();
        Publish p = publish;
        if (v5 && (!p.properties().isEmpty() || p.topic().isEmpty())) {
            // Topic Alias: every alias 1..our maximum is accepted [v5 MQTT-3.3.2-12]; the
            // mappings belong to this connection only [v5 MQTT-3.3.2-7].
            InboundTopicAliases.Resolution r = link.inboundAliases().resolve(p);
            if (r.isError()) {
                return lifecycle.violation(s.withLink(link), r.error(), "topic alias", now, out);
            }
            if (r.aliases() != link.inboundAliases()) {
                link = link.withInboundAliases(r.aliases());
            }
            p = r.publish();
        }
        if (v5 && p.retain() && !config.retainAvailable()) {
            return lifecycle.violation(s.withLink(link), ReasonCode.RETAIN_NOT_SUPPORTED,
                    "retain is not available", now, out);
        }
        if (p.topic().isEmpty()) {
            return lifecycle.violation(s.withLink(link), ReasonCode.PROTOCOL_ERROR, "PUBLISH without a topic", now, out);
        }
        // 5.0: a payload that is not the UTF-8 its Payload Format Indicator claims is refused
        // with 0x99, never handed on (PayloadFormat).
        boolean mislabelled = v5 && !PayloadFormat.agrees(p.properties(), p.payload());
        if (config.maxTopicLevels() > 0 && TopicFilter.levelCount(p.topic()) > config.maxTopicLevels()) {
            return tooDeep(s.withLink(link), p, out);
        }
        // The broker routes the message and then answers PUBACK / PUBREC with the same identifier
        // (BrokerRequest.RouteMessage): a 5.0 answer says whether anybody subscribed.
        BrokerRequest.RouteMessage route = new BrokerRequest.RouteMessage(s.clientId(), p, link.connection(),
                s.version());
        switch (p.qos()) {
            case AT_MOST_ONCE -> {
                if (mislabelled) {
                    return lifecycle.violation(s.withLink(link), ReasonCode.PAYLOAD_FORMAT_INVALID,
                            "payload is not UTF-8, as its Payload Format Indicator says", now, out);
                }
                out.request(route);
                return s.withLink(link);
            }
            case AT_LEAST_ONCE -> {
                if (v5 && unreleasedHere(s, link) >= config.receiveMaximum()) {
                    return receiveMaximumExceeded(s.withLink(link), now, out);
                }
                if (mislabelled) {
                    out.effect(new Effect.Send(link.connection(),
                            new PubAck(p.packetId(), ReasonCode.PAYLOAD_FORMAT_INVALID, Properties.EMPTY)));
                    return s.withLink(link);
                }
                // Take ownership; a later PUBLISH with this id is a new message
                // [v3.1.1 MQTT-4.3.2-2; v5 MQTT-4.3.2-4, -5].
                out.request(route);
                return s.withLink(link);
            }
            default -> {
                int id = p.packetId();
                if (s.awaitingPubRel().contains(id)) {
                    // Already handed on: acknowledge again, deliver nothing [v5 MQTT-4.3.3-10].
                    out.effect(new Effect.Send(link.connection(), new PubRec(id)));
                    return s.withLink(link);
                }
                if (v5 && unreleasedHere(s, link) >= config.receiveMaximum()) {
                    return receiveMaximumExceeded(s.withLink(link), now, out);
                }
                if (mislabelled) {
                    // Refused: the identifier is not kept, so a PUBLISH with it is a new message
                    // [v5 MQTT-4.3.3-9].
                    out.effect(new Effect.Send(link.connection(),
                            new PubRec(id, ReasonCode.PAYLOAD_FORMAT_INVALID, Properties.EMPTY)));
                    return s.withLink(link);
                }
                out.request(route);
                return s.withAwaitingPubRel(s.awaitingPubRel().add(id), link);
            }
        }
    }

    /**
     * A PUBLISH whose Topic Name has more levels than {@code max_topic_levels}: well-formed, but
     * not accepted by this server, so it is not routed. 5.0 says so with 0x90 Topic Name invalid
     * in the PUBACK / PUBREC (section 3.4.2.1: "the Topic Name is not malformed, but is not
     * accepted"), and a refused QoS 2 identifier is not kept [v5 MQTT-4.3.3-9 ... a PUBREC of 0x80
     * or more ends the flow]. QoS 0 has no answer to carry a code, and 3.1.1 none to put in it:
     * the message is acknowledged as usual and dropped [v3.1.1 MQTT-3.3.5-2].
     */
    private static Session tooDeep(Session s, Publish p, SessionStepBuilder out) {
        boolean v5 = s.version().isV5();
        ConnectionId conn = s.link().connection();
        switch (p.qos()) {
            case AT_MOST_ONCE -> {
                return s;
            }
            case AT_LEAST_ONCE -> {
                out.effect(new Effect.Send(conn, v5
                        ? new PubAck(p.packetId(), ReasonCode.TOPIC_NAME_INVALID, Properties.EMPTY)
                        : new PubAck(p.packetId())));
                return s;
            }
            default -> {
                if (s.awaitingPubRel().contains(p.packetId())) {
                    out.effect(new Effect.Send(conn, new PubRec(p.packetId())));   // a resend of one kept below
                    return s;
                }
                if (v5) {
                    out.effect(new Effect.Send(conn,
                            new PubRec(p.packetId(), ReasonCode.TOPIC_NAME_INVALID, Properties.EMPTY)));
                    return s;
                }
                out.effect(new Effect.Send(conn, new PubRec(p.packetId())));
                return s.withAwaitingPubRel(s.awaitingPubRel().add(p.packetId()), s.link());
            }
        }
    }

    /**
     * QoS 1/2 PUBLISHes the client has sent on this connection that the server has not completed:
     * QoS 1 ones are answered within the step they arrive in, so these are the QoS 2 flows
     * waiting for PUBREL, less those begun on an earlier connection ({@link Link#earlierPubRels}).
     */
    private static int unreleasedHere(Session s, Link link) {
        return s.awaitingPubRel().size() - link.earlierPubRels().size();
    }

    /** The client sent more unacknowledged QoS 1/2 PUBLISHes than our Receive Maximum allows: 0x93. */
    private Session receiveMaximumExceeded(Session s, long now, SessionStepBuilder out) {
        return lifecycle.violation(s, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                "more than " + config.receiveMaximum() + " QoS 1/2 PUBLISH unacknowledged", now, out);
    }

    /**
     * PUBREL: forget the identifier (it is free again) and answer PUBCOMP with it
     * [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-11, -12]. An unknown identifier gets 0x92 in 5.0.
     */
    Session pubRel(Session s, int packetId, long now, SessionStepBuilder out) {
        Link link = s.link().touched(now);
        boolean known = s.awaitingPubRel().contains(packetId);
        PubComp comp = known || !s.version().isV5() ? new PubComp(packetId)
                : new PubComp(packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY);
        out.effect(new Effect.Send(link.connection(), comp));
        if (!known) {
            return s.withLink(link);
        }
        if (link.earlierPubRels().contains(packetId)) {
            link = link.withEarlierPubRels(link.earlierPubRels().remove(packetId));
        }
        return s.withAwaitingPubRel(s.awaitingPubRel().remove(packetId), link);
    }
}
