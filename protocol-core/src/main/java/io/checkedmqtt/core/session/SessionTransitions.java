package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.routing.Delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every input one MQTT session can see, as a pure function {@code (session, input, now) ->
 * (session', effects, requests)}: a {@link SessionStep}. One method per action of the TLA+ specification ({@code tla/}),
 * named after the packet or event it handles; the names are stable.
 *
 * <p>Inputs that arrive on a connection ({@code onPublish} ... {@code onDisconnect}) require an
 * online session (one with a {@link Link}); the broker core routes a packet to the session its
 * connection is attached to. Timer inputs check whether they are still current and do nothing
 * when stale, so the shell never has to cancel a timer exactly.
 *
 * <p>Nothing here reads a clock, draws a random number or touches a socket: time is the
 * {@code nowMillis} argument and every consequence is in the returned {@link SessionStep}.
 */
public final class SessionTransitions {

    /** The detail of the {@code Effect.Close} that answers the client's own DISCONNECT. */
    public static final String CLIENT_DISCONNECTED = "DISCONNECT from client";

    private final BrokerConfig config;
    private final Outbound outbound;
    private final Lifecycle lifecycle;
    private final Inbound inbound;

    public SessionTransitions(BrokerConfig config) {
        this(config, WatchConfig.NONE);
    }

    /** Transitions that note their decisions about the messages of the clients {@code watch} names. */
    public SessionTransitions(BrokerConfig config, WatchConfig watch) {
        this.config = config;
        this.outbound = new Outbound(config, new Decisions(watch));
        this.lifecycle = new Lifecycle(config, outbound);
        this.inbound = new Inbound(config, lifecycle);
    }

    public BrokerConfig config() {
        return config;
    }

    // ---- connection lifecycle ----

    /**
     * CONNECT accepted (the broker core validated it): attach a new or resumed session to the
     * connection, answer CONNACK, retransmit and drain the queue.
     *
     * @param existing  the stored session for this client identifier, offline, or null
     * @param assigned  the server assigned the client identifier (5.0: returned in CONNACK)
     */
    public SessionStep onConnect(Session existing, String clientId, boolean assigned, Connect connect,
                                 ConnectionId connection, long nowMillis) {
        if (existing != null && existing.isOnline()) {
            throw new IllegalArgumentException("take the session over first: " + clientId);
        }
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.connect(existing, clientId, assigned, connect, connection, nowMillis, out));
    }

    /**
     * A second connection CONNECTed with this client identifier: close the old one
     * [v3.1.1 MQTT-3.1.4-2; v5 MQTT-3.1.4-3]. Its will goes out only if the session ends.
     *
     * @param continues the new CONNECT has Clean Start / CleanSession 0
     */
    public SessionStep onTakeOver(Session s, boolean continues, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.takeOver(online(s), continues, nowMillis, out));
    }

    /** DISCONNECT from the client. */
    public SessionStep onDisconnect(Session s, Disconnect disconnect, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.disconnect(online(s), disconnect, nowMillis, out));
    }

    /** The network connection closed without DISCONNECT. */
    public SessionStep onConnectionLost(Session s, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.connectionLost(online(s), nowMillis, out));
    }

    /** The client broke the protocol (or sent a malformed packet): tell a 5.0 client why, close. */
    public SessionStep onProtocolViolation(Session s, ReasonCode reason, String detail, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.violation(online(s), reason, detail, nowMillis, out));
    }

    /**
     * An administrator asked for the connection to end (the HTTP API): a 5.0 client gets
     * DISCONNECT 0x98 Administrative action, the connection closes and, as for any close the
     * client did not ask for, the will goes out and the session is kept or ends by its expiry.
     */
    public SessionStep onAdministrativeDisconnect(Session s, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.serverDisconnects(online(s), ReasonCode.ADMINISTRATIVE_ACTION,
                "disconnected by an administrator", nowMillis, out));
    }

    /**
     * A probe cuts the connection on purpose (a watched client's {@code probe.qos1-retry} waited
     * long enough): closed without DISCONNECT, in 5.0 too, as a network failure would end it, so
     * the will goes out and a kept session waits for the client to come back and resend.
     */
    public SessionStep onProbeCut(Session s, String detail, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        Session t = online(s);
        out.effect(new Effect.Close(t.link().connection(), ReasonCode.UNSPECIFIED_ERROR, detail));
        return out.step(lifecycle.connectionLost(t, nowMillis, out));
    }

    /**
     * The shell sent the client a second copy of the in-flight PUBLISH {@code packetId} (a fault
     * rule, {@code duplicate PUBLISH out}): the client answers both copies, so, as after a 3.1.1
     * timed resend, the identifier is kept off new messages until the connection ends
     * ({@link Link#resentIds()}), and a late answer to the copy can never acknowledge a new message.
     */
    public SessionStep onPublishDuplicated(Session s, int packetId) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(s.isOnline() ? s.withLink(s.link().withResent(packetId)) : s);
    }

    // ---- the server as receiver ----

    /**
     * PUBLISH from the client, QoS 0, 1 or 2. An accepted message leaves as a
     * {@link BrokerRequest.RouteMessage}; its PUBACK / PUBREC follows routing (the broker core
     * sends it), except the repeated PUBREC for a QoS 2 message already handed on.
     */
    public SessionStep onPublish(Session s, Publish publish, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(inbound.publish(online(s), publish, nowMillis, out));
    }

    /** PUBREL from the client: the second half of an inbound QoS 2 flow. */
    public SessionStep onPubRel(Session s, PubRel pubRel, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(inbound.pubRel(online(s), pubRel.packetId(), nowMillis, out));
    }

    // ---- the server as sender ----

    /**
     * A message the router matched to this session ({@link Delivery}): already at the delivered
     * QoS, min(publish QoS, subscription QoS) [v3.1.1 MQTT-3.8.4-6; v5 MQTT-3.8.4-8], RETAIN and
     * Subscription Identifiers set. Sent now, queued, or (QoS 0 while offline) dropped.
     *
     * @param receivedAtMillis when the server received the message (for 5.0 Message Expiry)
     */
    public SessionStep onDeliver(Session s, Publish message, long receivedAtMillis, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(outbound.deliver(s, message, receivedAtMillis, nowMillis, out));
    }

    /** {@link #onDeliver(Session, Publish, long, long)} for a router {@link Delivery}. */
    public SessionStep onDeliver(Session s, Delivery delivery, long nowMillis) {
        return onDeliver(s, delivery.publish(), delivery.receivedAtMillis(), nowMillis);
    }

    /** PUBACK from the client. */
    public SessionStep onPubAck(Session s, PubAck pubAck, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        Link link = online(s).link().touched(nowMillis);
        return out.step(outbound.pubAck(s, link, pubAck.packetId(), nowMillis, out));
    }

    /** PUBREC from the client. */
    public SessionStep onPubRec(Session s, PubRec pubRec, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        Session t = touch(s, nowMillis);
        return out.step(outbound.pubRec(t, pubRec.packetId(), pubRec.reasonCode(), nowMillis, out));
    }

    /** PUBCOMP from the client. */
    public SessionStep onPubComp(Session s, PubComp pubComp, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        Link link = online(s).link().touched(nowMillis);
        return out.step(outbound.pubComp(s, link, pubComp.packetId(), nowMillis, out));
    }

    // ---- subscriptions and pings ----

    /**
     * SUBSCRIBE, after the router decided the outcome per filter: record the granted filters
     * (an identical filter replaces the old subscription [v3.1.1 MQTT-3.8.4-3; v5 MQTT-3.8.4-3])
     * and answer one SUBACK with the same identifier and one code per filter, in order
     * [v3.1.1 MQTT-3.8.4-1, -2, -4, -5, MQTT-3.9.3-1; v5 MQTT-3.8.4-1, -2, -5, -6, MQTT-3.9.3-1].
     * 3.1.1 knows only the failure code 0x80 [v3.1.1 MQTT-3.9.3-2].
     */
    public SessionStep onSubscribe(Session s, Subscribe subscribe, List<ReasonCode> outcomes, long nowMillis) {
        if (outcomes.size() != subscribe.subscriptions().size()) {
            throw new IllegalArgumentException("one outcome per filter");
        }
        Session t = touch(s, nowMillis);
        boolean v5 = t.version().isV5();
        Map<String, SubscriptionOptions> subs = new HashMap<>(t.subscriptions());
        ReasonCode[] codes = new ReasonCode[outcomes.size()];
        for (int i = 0; i < codes.length; i++) {
            Subscription sub = subscribe.subscriptions().get(i);
            ReasonCode code = outcomes.get(i);
            if (!code.isError()) {
                subs.put(sub.topicFilter(), sub.options());
            }
            codes[i] = code.isError() && !v5 ? ReasonCode.UNSPECIFIED_ERROR : code;
        }
        SessionStepBuilder out = new SessionStepBuilder();
        out.effect(new Effect.Send(t.link().connection(),
                new SubAck(subscribe.packetId(), List.of(codes), Properties.EMPTY)));
        return out.step(t.withSubscriptions(subs));
    }

    /**
     * UNSUBSCRIBE, after the router removed what matched character for character
     * [v3.1.1 MQTT-3.10.4-1; v5 MQTT-3.10.4-1]: forget those filters (messages already in flight
     * still complete [v3.1.1 MQTT-3.10.4-3; v5 MQTT-3.10.4-3]) and answer UNSUBACK, even when
     * nothing was removed [v3.1.1 MQTT-3.10.4-4, -5, -6; v5 MQTT-3.10.4-4, -5, -6,
     * MQTT-3.11.3-1]. 3.1.1 UNSUBACK has no payload.
     */
    public SessionStep onUnsubscribe(Session s, Unsubscribe unsubscribe, List<ReasonCode> outcomes,
                                     long nowMillis) {
        Session t = touch(s, nowMillis);
        Map<String, SubscriptionOptions> subs = new HashMap<>(t.subscriptions());
        for (String filter : unsubscribe.topicFilters()) {
            subs.remove(filter);
        }
        List<ReasonCode> codes = t.version().isV5() ? outcomes : List.of();
        SessionStepBuilder out = new SessionStepBuilder();
        out.effect(new Effect.Send(t.link().connection(),
                new UnsubAck(unsubscribe.packetId(), codes, Properties.EMPTY)));
        return out.step(t.withSubscriptions(subs));
    }

    /** PINGREQ: answer PINGRESP [v3.1.1 MQTT-3.12.4-1; v5 MQTT-3.12.4-1]. */
    public SessionStep onPingReq(Session s, long nowMillis) {
        Session t = touch(s, nowMillis);
        SessionStepBuilder out = new SessionStepBuilder();
        out.effect(new Effect.Send(t.link().connection(), PingResp.INSTANCE));
        return out.step(t);
    }

    // ---- deadlines ----

    /** The KeepAlive timer of the session's connection fired. */
    public SessionStep onKeepAliveDeadline(Session s, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(s.isOnline() ? lifecycle.keepAliveDue(s, nowMillis, out) : s);
    }

    /** 3.1.1 timed resend: the Resend timer fired. Never does anything for 5.0 sessions. */
    public SessionStep onResendDeadline(Session s, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(outbound.resendDue(s, nowMillis, out));
    }

    /** 5.0: the Will Delay Interval of an offline session's will may have run out. */
    public SessionStep onWillDelayElapsed(Session s, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.willDelayDue(s, nowMillis, out));
    }

    /** The Session Expiry Interval of an offline session may have run out. */
    public SessionStep onSessionExpiry(Session s, long nowMillis) {
        SessionStepBuilder out = new SessionStepBuilder();
        return out.step(lifecycle.expiryDue(s, nowMillis, out));
    }

    // ----

    private static Session online(Session s) {
        if (s.link() == null) {
            throw new IllegalArgumentException("session is offline: " + s.clientId());
        }
        return s;
    }

    private static Session touch(Session s, long nowMillis) {
        return s.withLink(online(s).link().touched(nowMillis));
    }
}
