package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.core.routing.InboundTopicAliases;
import io.checkedmqtt.core.routing.OutboundTopicAliases;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's life around its connections: attach on CONNECT, detach on DISCONNECT, on loss of
 * the connection, on take-over, on keep-alive timeout or on a protocol violation; the will and
 * its 5.0 delay; the end of the session. Package-private; reached through {@link SessionTransitions}.
 */
final class Lifecycle {

    private final BrokerConfig config;
    private final Outbound outbound;

    Lifecycle(BrokerConfig config, Outbound outbound) {
        this.config = config;
        this.outbound = outbound;
    }

    // ---- CONNECT accepted ----

    /**
     * Attach a session to a connection whose CONNECT the broker accepted. {@code existing} is the
     * stored session for this client identifier (already offline: a take-over detached it first)
     * or null. Clean Start / CleanSession discards it [v3.1.1 MQTT-3.1.2-6; v5 MQTT-3.1.2-4];
     * otherwise the session resumes [v3.1.1 MQTT-3.1.2-4; v5 MQTT-3.1.2-5] or starts fresh
     * [v5 MQTT-3.1.2-6]. Answers CONNACK first [v3.1.1 MQTT-3.2.0-1; v5 MQTT-3.2.0-1], then
     * retransmits [MQTT-4.4.0-1].
     */
    Session connect(Session existing, String clientId, boolean assigned, Connect connect, ConnectionId conn,
                    long now, SessionStepBuilder out) {
        boolean v5 = connect.version().isV5();
        long requestedExpiry = connect.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, 0);
        long expiry = v5 ? Math.min(requestedExpiry, config.maxSessionExpirySeconds())
                : (connect.cleanStart() ? 0 : Session.NEVER_EXPIRES);
        boolean resume = existing != null && !connect.cleanStart();
        if (existing != null) {
            cancelOfflineTimers(existing, out);
            if (!resume) {
                // The old session ends here: a will still waiting for its delay goes now [v5 MQTT-3.1.2-8].
                if (existing.will() != null) {
                    out.request(new BrokerRequest.PublishWill(clientId, existing.will()));
                }
                out.request(new BrokerRequest.DiscardSession(clientId));
            }
            // On resume a will still waiting for its delay is not sent [v5 MQTT-3.1.3-9].
        }
        Session base = resume ? existing.withVersion(connect.version()).withExpirySeconds(expiry)
                : Session.fresh(clientId, connect.version(), expiry);

        int clientKeepAlive = connect.keepAliveSeconds();
        int keepAlive = clientKeepAlive;
        boolean serverKeepAlive = false;
        if (v5 && config.maxKeepAliveSeconds() > 0
                && (clientKeepAlive == 0 || clientKeepAlive > config.maxKeepAliveSeconds())) {
            keepAlive = config.maxKeepAliveSeconds();
            serverKeepAlive = true;
        }
        int sendLimit = config.maxInflightMessages();
        long maxPacket = Link.NO_MAXIMUM_PACKET_SIZE;
        InboundTopicAliases inboundAliases = InboundTopicAliases.forConnection(0);
        OutboundTopicAliases outboundAliases = OutboundTopicAliases.NONE;
        if (v5) {
            sendLimit = (int) Math.min(sendLimit, connect.properties().integer(PropertyId.RECEIVE_MAXIMUM, 65_535));
            maxPacket = connect.properties().integer(PropertyId.MAXIMUM_PACKET_SIZE, Link.NO_MAXIMUM_PACKET_SIZE);
            inboundAliases = InboundTopicAliases.forConnection(config.topicAliasMaximum());
            // As many as the client takes [v5 MQTT-3.1.2-26, -27], and no more than we keep per connection.
            outboundAliases = OutboundTopicAliases.forConnection((int) Math.min(config.outboundTopicAliasMaximum(),
                    connect.properties().integer(PropertyId.TOPIC_ALIAS_MAXIMUM, 0)));
        }
        Link link = new Link(conn, keepAlive * 1000, now, Math.max(1, sendLimit), maxPacket, inboundAliases,
                outboundAliases);
        if (resume && v5 && base.awaitingPubRel().size() > 0) {
            link = link.withEarlierPubRels(base.awaitingPubRel());   // the client's quota starts afresh (section 4.9)
        }
        Session attached = base.withWill(connect.will()).withLink(link);

        // Session Present: 1 only when a kept session resumes [v3.1.1 MQTT-3.2.2-1, -2, -3; v5 MQTT-3.2.2-2, -3]
        Properties props = v5 ? connackProperties(clientId, assigned, requestedExpiry, expiry, serverKeepAlive,
                keepAlive) : Properties.EMPTY;
        out.effect(new Effect.Send(conn, new Connack(resume, ReasonCode.SUCCESS, props)));
        if (link.keepAliveMillis() > 0) {
            out.effect(new Effect.ScheduleTimer(new Timer.KeepAlive(conn), link.keepAliveDeadline()));
        }
        return resume ? outbound.resendAll(attached, now, out) : attached;
    }

    /** What a 5.0 CONNACK tells the client about this server and this connection. */
    private Properties connackProperties(String clientId, boolean assigned, long requestedExpiry, long expiry,
                                         boolean serverKeepAlive, int keepAlive) {
        List<Property> p = new ArrayList<>(10);
        if (expiry != requestedExpiry) {
            p.add(new Property.IntegerProperty(PropertyId.SESSION_EXPIRY_INTERVAL, expiry));
        }
        if (config.receiveMaximum() < 65_535) {
            p.add(new Property.IntegerProperty(PropertyId.RECEIVE_MAXIMUM, config.receiveMaximum()));
        }
        if (!config.retainAvailable()) {
            p.add(new Property.IntegerProperty(PropertyId.RETAIN_AVAILABLE, 0));
        }
        if (config.maximumPacketSize() < 268_435_455) {
            p.add(new Property.IntegerProperty(PropertyId.MAXIMUM_PACKET_SIZE, config.maximumPacketSize()));
        }
        if (assigned) {
            // [v5 MQTT-3.1.3-7, MQTT-3.2.2-16]
            p.add(new Property.StringProperty(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, clientId));
        }
        p.add(new Property.IntegerProperty(PropertyId.TOPIC_ALIAS_MAXIMUM, config.topicAliasMaximum()));
        p.add(new Property.IntegerProperty(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
        p.add(new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
        p.add(new Property.IntegerProperty(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 1));
        if (serverKeepAlive) {
            p.add(new Property.IntegerProperty(PropertyId.SERVER_KEEP_ALIVE, keepAlive));
        }
        return Properties.of(p);
    }

    private static void cancelOfflineTimers(Session s, SessionStepBuilder out) {
        if (!s.isOnline() && !s.endsWithConnection()) {
            if (s.will() != null) {
                out.effect(new Effect.CancelTimer(new Timer.WillDelay(s.clientId())));
            }
            if (s.expirySeconds() != Session.NEVER_EXPIRES) {
                out.effect(new Effect.CancelTimer(new Timer.SessionExpiry(s.clientId())));
            }
        }
    }

    // ---- the connection ends ----

    /** Whether the Will Message goes out when the connection ends. */
    enum WillFate { PUBLISH, DISCARD }

    /**
     * Detach the session from its connection (the caller emitted the Close). The will is published
     * now, after its 5.0 Will Delay Interval, or when the session ends, whichever comes first
     * [v3.1.1 MQTT-3.1.2-8; v5 MQTT-3.1.2-8]; or discarded [v3.1.1 MQTT-3.1.2-10, MQTT-3.14.4-3;
     * v5 MQTT-3.1.2-10, MQTT-3.14.4-3]. A session with expiry 0 ends now; otherwise it lives on,
     * and a finite expiry schedules its end [v3.1.1 MQTT-3.1.2-4; v5 MQTT-3.1.2-23, MQTT-4.1.0-2].
     *
     * @return the offline session, or null when it ended
     */
    Session detach(Session s, WillFate fate, long now, SessionStepBuilder out) {
        Link link = s.link();
        if (link.keepAliveMillis() > 0) {
            out.effect(new Effect.CancelTimer(new Timer.KeepAlive(link.connection())));
        }
        if (s.resendAtMillis() != Session.NO_DEADLINE) {
            out.effect(new Effect.CancelTimer(new Timer.Resend(s.clientId())));
        }
        Will will = fate == WillFate.PUBLISH ? s.will() : null;
        if (s.endsWithConnection()) {
            if (will != null) {
                out.request(new BrokerRequest.PublishWill(s.clientId(), will));
            }
            out.request(new BrokerRequest.DiscardSession(s.clientId()));
            return null;
        }
        Session off = s.offline(now).withWill(null);
        if (will != null) {
            long delay = s.version().isV5() ? will.properties().integer(PropertyId.WILL_DELAY_INTERVAL, 0) : 0;
            if (delay == 0) {
                out.request(new BrokerRequest.PublishWill(s.clientId(), will));
            } else {
                off = off.withWill(will);
                if (delay < s.expirySeconds()) {
                    out.effect(new Effect.ScheduleTimer(new Timer.WillDelay(s.clientId()), now + delay * 1000));
                }
                // else: the session ends first and its expiry publishes the will
            }
        }
        if (s.expirySeconds() != Session.NEVER_EXPIRES) {
            out.effect(new Effect.ScheduleTimer(new Timer.SessionExpiry(s.clientId()),
                    now + s.expirySeconds() * 1000));
        }
        return off;
    }

    /**
     * The client broke the protocol: 5.0 clients get a DISCONNECT with the reason first
     * [v5 MQTT-4.13.1-1]; the connection closes [v3.1.1 MQTT-4.8.0-1] and, as this is no
     * normal DISCONNECT, the will goes out.
     */
    Session violation(Session s, ReasonCode reason, String detail, long now, SessionStepBuilder out) {
        return serverDisconnects(s, reason, detail, now, out);
    }

    /**
     * The server ends the connection for a reason of its own: a protocol violation, or an
     * administrator's request (0x98 Administrative action). 5.0 clients are told the reason in a
     * DISCONNECT first, a code of the DISCONNECT table [v5 MQTT-3.14.2-1]; as the client sent no
     * DISCONNECT, its will goes out [v3.1.1 MQTT-3.1.2-8; v5 MQTT-3.1.2-8].
     */
    Session serverDisconnects(Session s, ReasonCode reason, String detail, long now, SessionStepBuilder out) {
        ConnectionId conn = s.link().connection();
        if (s.version().isV5()) {
            out.effect(new Effect.Send(conn, new Disconnect(reason)));
        }
        out.effect(new Effect.Close(conn, reason, detail));
        return detach(s, WillFate.PUBLISH, now, out);
    }

    /**
     * DISCONNECT from the client. 3.1.1: the will is discarded [v3.1.1 MQTT-3.14.4-3]. 5.0: 0x00
     * discards it [v5 MQTT-3.14.4-3]; 0x04 and error codes keep it for publication. 5.0 may change
     * the Session Expiry Interval, except from 0 to non-zero, which is a Protocol Error.
     */
    Session disconnect(Session s, Disconnect d, long now, SessionStepBuilder out) {
        ConnectionId conn = s.link().connection();
        Session cur = s;
        if (s.version().isV5()) {
            long newExpiry = d.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, -1);
            if (newExpiry >= 0) {
                if (s.expirySeconds() == 0 && newExpiry != 0) {
                    return violation(s, ReasonCode.PROTOCOL_ERROR,
                            "DISCONNECT sets Session Expiry Interval after CONNECT set 0", now, out);
                }
                cur = s.withExpirySeconds(Math.min(newExpiry, config.maxSessionExpirySeconds()));
            }
        }
        boolean normal = d.reasonCode() == ReasonCode.NORMAL_DISCONNECTION || !s.version().isV5();
        out.effect(new Effect.Close(conn, d.reasonCode(), SessionTransitions.CLIENT_DISCONNECTED));
        return detach(cur, normal ? WillFate.DISCARD : WillFate.PUBLISH, now, out);
    }

    /** The connection ended without DISCONNECT: a network failure, so the will goes out. */
    Session connectionLost(Session s, long now, SessionStepBuilder out) {
        return detach(s, WillFate.PUBLISH, now, out);
    }

    /**
     * Another connection CONNECTs with this client identifier: the old one is closed
     * [v3.1.1 MQTT-3.1.4-2], in 5.0 after DISCONNECT 0x8E [v5 MQTT-3.1.4-3]. When the new
     * connection continues the session (Clean Start / CleanSession 0 and the session is kept),
     * the new connection was opened before the Will Delay Interval could pass, so the will is not
     * published [v5 MQTT-3.1.3-9] (Mosquitto does the same for 3.1.1); when the session ends
     * here, the will goes out [v5 MQTT-3.1.2-8].
     *
     * @param continues the new CONNECT has Clean Start 0
     */
    Session takeOver(Session s, boolean continues, long now, SessionStepBuilder out) {
        ConnectionId old = s.link().connection();
        if (s.version().isV5()) {
            out.effect(new Effect.Send(old, new Disconnect(ReasonCode.SESSION_TAKEN_OVER)));
        }
        out.effect(new Effect.Close(old, ReasonCode.SESSION_TAKEN_OVER, "client identifier connected again"));
        boolean sessionContinues = continues && !s.endsWithConnection();
        return detach(s, sessionContinues ? WillFate.DISCARD : WillFate.PUBLISH, now, out);
    }

    /**
     * The KeepAlive timer fired. If 1.5 x Keep Alive passed without a packet, the connection is
     * dead [v3.1.1 MQTT-3.1.2-24; v5 MQTT-3.1.2-22]; otherwise wait for the new deadline.
     */
    Session keepAliveDue(Session s, long now, SessionStepBuilder out) {
        Link link = s.link();
        if (link.keepAliveMillis() == 0) {
            return s;
        }
        long deadline = link.keepAliveDeadline();
        if (now < deadline) {
            out.effect(new Effect.ScheduleTimer(new Timer.KeepAlive(link.connection()), deadline));
            return s;
        }
        if (s.version().isV5()) {
            out.effect(new Effect.Send(link.connection(), new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT)));
        }
        out.effect(new Effect.Close(link.connection(), ReasonCode.KEEP_ALIVE_TIMEOUT,
                "no packet for 1.5 x Keep Alive"));
        return detach(s, WillFate.PUBLISH, now, out);
    }

    /** The Will Delay Interval of an offline session ran out: publish the will [v5 MQTT-3.1.2-8]. */
    Session willDelayDue(Session s, long now, SessionStepBuilder out) {
        if (s.isOnline() || s.will() == null) {
            return s; // reconnected in time [v5 MQTT-3.1.3-9], or already published
        }
        long delay = s.will().properties().integer(PropertyId.WILL_DELAY_INTERVAL, 0);
        if (now < s.disconnectedAtMillis() + delay * 1000) {
            return s;
        }
        out.request(new BrokerRequest.PublishWill(s.clientId(), s.will()));
        return s.withWill(null);
    }

    /**
     * The Session Expiry Interval of an offline session ran out: the session ends
     * [v5 MQTT-4.1.0-2], and a will still waiting goes out now [v5 MQTT-3.1.2-8].
     *
     * @return null when the session ended
     */
    Session expiryDue(Session s, long now, SessionStepBuilder out) {
        if (s.isOnline() || s.expirySeconds() == Session.NEVER_EXPIRES
                || now < s.disconnectedAtMillis() + s.expirySeconds() * 1000) {
            return s;
        }
        if (s.will() != null) {
            out.request(new BrokerRequest.PublishWill(s.clientId(), s.will()));
        }
        out.request(new BrokerRequest.DiscardSession(s.clientId()));
        return null;
    }
}
