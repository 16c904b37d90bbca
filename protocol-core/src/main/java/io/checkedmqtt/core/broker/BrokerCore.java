package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.routing.Delivery;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.routing.RoutingConfig;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionStep;
import io.checkedmqtt.core.session.SessionTransitions;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broker's protocol behaviour as pure functions: {@code (state, input, now) -> (state',
 * effects)}. The shell owns the current {@link BrokerState}, feeds every input through one of
 * these methods on its single thread, stores the new state and carries out the effects in order.
 * Time is milliseconds from any fixed origin; the caller promises it never goes backwards.
 *
 * <p>Driving contract, in the order a connection lives:
 * {@link #connectionOpened}, then {@link #packetReceived} per decoded packet (or
 * {@link #malformedPacket} once, after which the shell reads no more from that connection),
 * {@link #timerFired} whenever a scheduled deadline passes, {@link #connectionLost} when the
 * socket closes without the core asking for it, and {@link #shutdown} once at the end. Inputs
 * for a connection the core already closed are ignored (an empty step).
 *
 * <p>This class does the broker-wide part: it validates CONNECT, assigns client identifiers,
 * takes sessions over, asks the router about SUBSCRIBE / UNSUBSCRIBE / PUBLISH, and hands
 * everything else to {@link SessionTransitions}.
 */
public final class BrokerCore {

    private final BrokerConfig config;
    private final SessionTransitions sessions;

    public BrokerCore(BrokerConfig config) {
        this.config = config;
        this.sessions = new SessionTransitions(config);
    }

    public BrokerConfig config() {
        return config;
    }

    /** The session transitions this core uses (for model tests and tracing). */
    public SessionTransitions sessions() {
        return sessions;
    }

    public BrokerState initialState() {
        // Subscriptions are granted at most max_qos [v5 MQTT-3.2.2-10: still accepted when asking more]
        RoutingConfig routing = new RoutingConfig(config.limits().maximumQos(), config.retainAvailable(), true, true,
                true, config.maxTopicLevels());
        return new BrokerState().withRouter(Router.empty(routing));
    }

    /** A connection was accepted: it has {@code connectTimeoutMillis} to send CONNECT. */
    public Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis) {
        StepBuilder out = new StepBuilder(sessions, nowMillis);
        if (config.connectTimeoutMillis() > 0) {
            out.effect(new Effect.ScheduleTimer(new Timer.ConnectTimeout(connection),
                    nowMillis + config.connectTimeoutMillis()));
        }
        return out.step(state.withAwaitingConnect(connection, nowMillis));
    }

    /** {@link #packetReceived(BrokerState, ConnectionId, Packet, long, String)} for a packet that needs no nonce. */
    public Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis) {
        return packetReceived(state, connection, packet, nowMillis, null);
    }

    /**
     * Whether the shell must pass fresh randomness with this packet: it may open a 5.0 enhanced
     * authentication exchange (a CONNECT with an Authentication Method, an AUTH 0x19
     * Re-authenticate), whose server nonce the core cannot draw itself.
     */
    public static boolean needsServerNonce(Packet packet) {
        if (packet instanceof Auth auth) {
            return auth.reasonCode() == ReasonCode.RE_AUTHENTICATE;
        }
        return packet instanceof Connect c && c.properties().contains(PropertyId.AUTHENTICATION_METHOD);
    }

    /**
     * A decoded packet from the connection.
     *
     * @param serverNonce when {@link #needsServerNonce} is true: at least 16 printable ASCII
     *                    characters other than ',' (base64 of 18 random bytes, say), never used
     *                    before; else null
     */
    public Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis,
                               String serverNonce) {
        StepBuilder out = new StepBuilder(sessions, nowMillis);
        if (state.awaitsConnect(connection)) {
            ConnectHandler handler = new ConnectHandler(config, sessions);
            if (state.access().enhanced().containsKey(connection)) {
                // The CONNECT waits for its enhanced authentication: only AUTH may come now
                if (packet instanceof Auth auth) {
                    return out.step(handler.authenticate(out, state, connection, auth, nowMillis));
                }
                return out.step(refuseConnection(out, state, connection, ReasonCode.PROTOCOL_ERROR,
                        packet.type() + " during the authentication exchange"));
            }
            if (packet instanceof Connect connect) {
                return out.step(handler.connect(out, state, connection, connect, nowMillis, serverNonce));
            }
            // The first packet must be CONNECT [v3.1.1 MQTT-3.1.0-1; v5 MQTT-3.1.0-1]
            return out.step(refuseConnection(out, state, connection, ReasonCode.PROTOCOL_ERROR,
                    "first packet is " + packet.type()));
        }
        Session s = state.sessionOn(connection);
        if (s == null) {
            // Closed by us: ignore what is still in flight [v3.1.1 MQTT-3.1.4-5]; or stale: the
            // session moved on to another connection.
            return new Step(state, List.of());
        }
        if (packet instanceof Auth auth) {
            return out.step(new Reauthentication(config, sessions).onAuth(out, state, s, auth, nowMillis, serverNonce));
        }
        if (packet instanceof Publish p) {
            ClientCaps.Pace pace = ClientCaps.admit(config.limits(), p, state.access().publishPace().get(connection),
                    nowMillis);
            if (pace.refusal() != null) {
                // 5.0 DISCONNECT with the reason, 3.1.1 a close
                return out.step(out.apply(state, s.clientId(), s,
                        sessions.onProtocolViolation(s, pace.refusal(), pace.detail(), nowMillis)));
            }
            if (pace.nextMicros() >= 0) {
                state = state.withAccess(state.access().withPace(connection, pace.nextMicros()));
            }
        }
        return out.step(onPacket(out, state, s.clientId(), s, packet, nowMillis));
    }

    private BrokerState onPacket(StepBuilder out, BrokerState state, String clientId, Session s, Packet packet,
                                 long now) {
        SessionStep step;
        if (packet instanceof Publish p) {
            step = sessions.onPublish(s, p, now);
        } else if (packet instanceof PubAck p) {
            step = sessions.onPubAck(s, p, now);
        } else if (packet instanceof PubRec p) {
            step = sessions.onPubRec(s, p, now);
        } else if (packet instanceof PubRel p) {
            step = sessions.onPubRel(s, p, now);
        } else if (packet instanceof PubComp p) {
            step = sessions.onPubComp(s, p, now);
        } else if (packet instanceof Subscribe sub) {
            return subscribe(out, state, clientId, s, sub, now);
        } else if (packet instanceof Unsubscribe unsub) {
            return unsubscribe(out, state, clientId, s, unsub, now);
        } else if (packet instanceof PingReq) {
            step = sessions.onPingReq(s, now);
        } else if (packet instanceof Disconnect d) {
            step = sessions.onDisconnect(s, d, now);
        } else if (packet instanceof Connect) {
            // A second CONNECT is a protocol violation [v3.1.1 MQTT-3.1.0-2; v5 MQTT-3.1.0-2]
            step = sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR, "second CONNECT", now);
        } else {
            step = sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR,
                    packet.type() + " is a server-to-client packet", now);
        }
        return out.apply(state, clientId, s, step);
    }

    /**
     * SUBSCRIBE: each filter through the router in order, as if separate SUBSCRIBEs
     * [v3.1.1 MQTT-3.8.4-4; v5 MQTT-3.8.4-5], then one SUBACK, then the retained messages.
     */
    private BrokerState subscribe(StepBuilder out, BrokerState state, String clientId, Session s, Subscribe subscribe,
                                  long now) {
        if (subscribe.subscriptions().isEmpty()) {
            // [v3.1.1 MQTT-3.8.3-3; v5 MQTT-3.8.3-2]
            return out.apply(state, clientId, s,
                    sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE without filters", now));
        }
        int subscriptionId = (int) subscribe.properties().integer(PropertyId.SUBSCRIPTION_IDENTIFIER, 0);
        Router router = state.router();
        List<ReasonCode> codes = new ArrayList<>(subscribe.subscriptions().size());
        List<Delivery> retained = new ArrayList<>();
        int added = 0;
        long addedBytes = 0;
        for (Subscription sub : subscribe.subscriptions()) {
            ReasonCode refused = ClientCaps.subscriptionRefusal(config, out, state, s, sub, added, addedBytes);
            if (refused != null) {
                codes.add(refused); // 3.1.1 SUBACK says 0x80 for any failure
                continue;
            }
            added++;
            addedBytes += Holdings.subscriptionWeight(sub.topicFilter());
            Router.SubscribeOutcome outcome = router.subscribe(clientId, s.version(), sub, subscriptionId, now);
            if (outcome.reasonCode() == ReasonCode.PROTOCOL_ERROR
                    || outcome.reasonCode() == ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED) {
                // A malformed filter [v5 MQTT-4.13.1-1; v3.1.1 MQTT-4.8.0-1] or No Local on a shared
                // subscription [v5 MQTT-3.8.3-4]: the whole packet is refused and the connection closed.
                String malformed = TopicFilter.syntaxError(sub.topicFilter(), s.version());
                return out.apply(state, clientId, s, sessions.onProtocolViolation(s, outcome.reasonCode(),
                        malformed != null ? "SUBSCRIBE: " + malformed : "refused subscription " + sub.topicFilter(),
                        now));
            }
            router = outcome.router();
            codes.add(outcome.reasonCode());
            retained.addAll(outcome.retainedMessages());
        }
        if (s.version() == ProtocolVersion.MQTT_3_1 && codes.stream().anyMatch(ReasonCode::isError)) {
            // A 3.1 SUBACK holds granted QoS levels only (3.1 section 3.9): no value says "refused",
            // and granting a QoS would claim a subscription that does not exist. Closing the
            // connection is the one answer 3.1 has; nothing of this SUBSCRIBE is kept.
            return out.apply(state, clientId, s, sessions.onProtocolViolation(s, ReasonCode.UNSPECIFIED_ERROR,
                    "SUBSCRIBE refused, and a 3.1 SUBACK cannot say so", now));
        }
        BrokerState next = out.apply(state.withRouter(router), clientId, s, sessions.onSubscribe(s, subscribe, codes, now));
        for (Delivery d : retained) {
            next = out.deliver(next, d);
        }
        return next;
    }

    private BrokerState unsubscribe(StepBuilder out, BrokerState state, String clientId, Session s,
                                    Unsubscribe unsubscribe, long now) {
        if (unsubscribe.topicFilters().isEmpty()) {
            // [v3.1.1 MQTT-3.10.3-2; v5 MQTT-3.10.3-2]
            return out.apply(state, clientId, s,
                    sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE without filters", now));
        }
        Router router = state.router();
        List<ReasonCode> codes = new ArrayList<>(unsubscribe.topicFilters().size());
        for (String filter : unsubscribe.topicFilters()) {
            Router.UnsubscribeOutcome outcome = router.unsubscribe(clientId, s.version(), filter);
            if (outcome.reasonCode() == ReasonCode.PROTOCOL_ERROR) {
                // A malformed filter [v5 MQTT-4.13.1-1; v3.1.1 MQTT-4.8.0-1]: the whole packet is refused.
                return out.apply(state, clientId, s, sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR,
                        "UNSUBSCRIBE: " + TopicFilter.syntaxError(filter, s.version()), now));
            }
            router = outcome.router();
            codes.add(outcome.reasonCode());
        }
        return out.apply(state.withRouter(router), clientId, s, sessions.onUnsubscribe(s, unsubscribe, codes, now));
    }

    /**
     * The decoder rejected the connection's input with this reason; the core decides what the
     * client is told. Before CONNECT: an unsupported protocol level gets CONNACK 0x01 (3.1.1) /
     * 0x84 (5.0) [v3.1.1 MQTT-3.1.2-2; v5 MQTT-3.1.2-2], anything else just a close
     * [v3.1.1 MQTT-3.1.4-1; v5 MQTT-3.1.4-1], except that a malformed first CONNECT that states
     * 5.0 (the decoder's {@code DecodeError.version()}) is answered with CONNACK carrying the
     * reason (0x81 Malformed Packet, 0x82 Protocol Error, 0x95 Packet too large, ...) before the
     * close [v5 MQTT-4.13.1-1, section 3.1.4], after an {@link Effect.Refused} that tells the
     * shell to encode it as 5.0; a 3.1.1 CONNECT has no such return code. After CONNECT: 5.0
     * clients get DISCONNECT with the reason [v5 MQTT-4.13.1-1], the connection closes and the
     * will goes out.
     *
     * @param version the version the bytes were read as, or null when unknown
     */
    public Step malformedPacket(BrokerState state, ConnectionId connection, ReasonCode reason, String detail,
                                ProtocolVersion version, long nowMillis) {
        StepBuilder out = new StepBuilder(sessions, nowMillis);
        if (state.awaitsConnect(connection)) {
            if (reason == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
                // A level this broker does not know is answered as 3.1.1 does (return code 0x01),
                // the form every client can read [v3.1.1 MQTT-3.1.2-2; v5 MQTT-3.1.2-2]
                out.effect(new Effect.Refused(connection, version == null ? ProtocolVersion.MQTT_3_1_1 : version));
                out.effect(new Effect.Send(connection, new Connack(false, reason, Properties.EMPTY)));
            } else if (version == ProtocolVersion.MQTT_5 && reason.isError() && reason.allowedIn(PacketType.CONNACK)) {
                out.effect(new Effect.Refused(connection, version));
                out.effect(new Effect.Send(connection, new Connack(false, reason, Properties.EMPTY)));
            }
            return out.step(refuseConnection(out, state, connection, reason, detail));
        }
        Session s = state.sessionOn(connection);
        if (s == null) {
            return new Step(state, List.of());
        }
        ReasonCode code = reason.allowedIn(PacketType.DISCONNECT) ? reason : ReasonCode.MALFORMED_PACKET;
        return out.step(out.apply(state, s.clientId(), s, sessions.onProtocolViolation(s, code, detail, nowMillis)));
    }

    public Step connectionLost(BrokerState state, ConnectionId connection, long nowMillis) {
        StepBuilder out = new StepBuilder(sessions, nowMillis);
        if (state.awaitsConnect(connection)) {
            if (config.connectTimeoutMillis() > 0) {
                out.effect(new Effect.CancelTimer(new Timer.ConnectTimeout(connection)));
            }
            return out.step(state.withoutConnection(connection));
        }
        Session s = state.sessionOn(connection);
        if (s == null) {
            return out.step(state.withoutConnection(connection));
        }
        return out.step(out.apply(state, s.clientId(), s, sessions.onConnectionLost(s, nowMillis)));
    }

    public Step timerFired(BrokerState state, Timer timer, long nowMillis) {
        StepBuilder out = new StepBuilder(sessions, nowMillis);
        if (timer instanceof Timer.ConnectTimeout t) {
            if (state.awaitsConnect(t.connection())) {
                out.effect(new Effect.Close(t.connection(), ReasonCode.PROTOCOL_ERROR,
                        "no CONNECT within " + config.connectTimeoutMillis() + " ms"));
                return out.step(state.withoutConnection(t.connection()));
            }
        } else if (timer instanceof Timer.KeepAlive t) {
            Session s = state.sessionOn(t.connection());
            if (s != null && state.access().holds().isHeld(t.connection())) {
                // Flow control is not reading the client: its silence is the server's doing
                out.effect(new Effect.ScheduleTimer(t, nowMillis + s.link().keepAliveMillis()));
                return out.step(state);
            }
            if (s != null) {
                return out.step(out.apply(state, s.clientId(), s, sessions.onKeepAliveDeadline(s, nowMillis)));
            }
        } else if (timer instanceof Timer.Resend t) {
            Session s = state.session(t.clientId());
            if (s != null) {
                return out.step(out.apply(state, t.clientId(), s, sessions.onResendDeadline(s, nowMillis)));
            }
        } else if (timer instanceof Timer.WillDelay t) {
            Session s = state.session(t.clientId());
            if (s != null) {
                return out.step(out.apply(state, t.clientId(), s, sessions.onWillDelayElapsed(s, nowMillis)));
            }
        } else if (timer instanceof Timer.SessionExpiry t) {
            Session s = state.session(t.clientId());
            if (s != null) {
                return out.step(out.apply(state, t.clientId(), s, sessions.onSessionExpiry(s, nowMillis)));
            }
        }
        return out.step(state);
    }

    /**
     * The broker is stopping: 5.0 clients get DISCONNECT 0x8B, every connection closes. Wills
     * are not published (nobody is left to receive them); sessions that would end with their
     * connection are dropped, kept ones stay in the returned state, offline.
     */
    public Step shutdown(BrokerState state, long nowMillis) {
        StepBuilder out = new StepBuilder(sessions, nowMillis);
        BrokerState next = state;
        for (Map.Entry<ConnectionId, String> e : state.attached()) {
            ConnectionId conn = e.getKey();
            Session s = state.session(e.getValue());
            out.limitPacketSize(s);
            if (s != null && s.isOnline() && s.version().isV5()) {
                out.effect(new Effect.Send(conn, new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN)));
            }
            if (s != null && s.isOnline()) {
                next = next.withSession(e.getValue(), s.endsWithConnection() ? null : s.offline(nowMillis).withWill(null));
            }
            out.effect(new Effect.Close(conn, ReasonCode.SERVER_SHUTTING_DOWN, "broker shutting down"));
            next = next.withoutConnection(conn);
        }
        for (Map.Entry<ConnectionId, Long> e : state.awaitingConnect()) {
            out.effect(new Effect.Close(e.getKey(), ReasonCode.SERVER_SHUTTING_DOWN, "broker shutting down"));
            next = next.withoutConnection(e.getKey());
        }
        return out.step(next);
    }

    /** Close a connection that never got a session. */
    static BrokerState refuseConnection(StepBuilder out, BrokerState state, ConnectionId connection, ReasonCode reason,
                                        String detail) {
        out.effect(new Effect.CancelTimer(new Timer.ConnectTimeout(connection)));
        out.effect(new Effect.Close(connection, reason, detail));
        return state.withoutConnection(connection);
    }
}
