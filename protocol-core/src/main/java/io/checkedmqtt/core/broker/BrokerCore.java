package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.conformance.WireFault;
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
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.routing.RoutingConfig;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionStep;
import io.checkedmqtt.core.session.SessionTransitions;

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
    /** Null when nobody is watched. */
    private final Watching watching;
    private final boolean persistence;

    /** A core that watches nobody and persists nothing: no step emits {@link Effect.Persist}. */
    public BrokerCore(BrokerConfig config) {
        this(config, WatchConfig.NONE, false);
    }

    /**
     * @param watch       the clients under test: the core notes its decisions about their messages,
     *                    keeps their conformance reports and runs their probes ({@link Watching})
     * @param persistence every step that changes what a restart must bring back begins with an
     *                    {@link Effect.Persist} of the records of that change ({@link DurableChanges})
     */
    public BrokerCore(BrokerConfig config, WatchConfig watch, boolean persistence) {
        this.config = config;
        this.sessions = new SessionTransitions(config, watch);
        this.watching = watch.isEmpty() ? null : new Watching(watch, sessions);
        this.persistence = persistence;
    }

    /** Whether steps begin with the records of what they changed. */
    public boolean persistence() {
        return persistence;
    }

    /** The builder of one step from {@code state}. */
    private StepBuilder builder(BrokerState state, long now) {
        return new StepBuilder(sessions, now, watching, persistence ? state : null);
    }

    public BrokerConfig config() {
        return config;
    }

    /** Which clients this core watches. */
    public WatchConfig watchConfig() {
        return watching == null ? WatchConfig.NONE : watching.config();
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

    /**
     * The broker starts from a state brought back from its durable records (the shell's
     * recovery, {@code durable.Replay}), before any connection: every session in it is offline.
     * Each gets the deadlines it would have got when it went offline, counted from then: its
     * Session Expiry [v5 MQTT-4.1.0-2] and, for a will it still holds, the Will Delay Interval
     * [v5 MQTT-3.1.2-8] (3.1.1 and a delay of 0: at once). A session whose client was connected
     * when the broker stopped counts as disconnected at the restart, and its will is due then:
     * its network connection closed without DISCONNECT [v3.1.1 MQTT-3.1.2-8; v5 MQTT-3.1.2-8].
     * Deadlines already past fire at once.
     */
    public Step recovered(BrokerState state, long nowMillis) {
        StepBuilder out = builder(state, nowMillis);
        DeadlineHandler.scheduleRecovered(out, state);
        return out.step(state);
    }

    /** A connection was accepted: it has {@code connectTimeoutMillis} to send CONNECT. */
    public Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis) {
        StepBuilder out = builder(state, nowMillis);
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
        StepBuilder out = builder(state, nowMillis);
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
        if (watching != null) {
            state = watching.inbound(out, state, connection, packet, nowMillis);
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
            return new SubscribeHandler(config, sessions).subscribe(out, state, clientId, s, sub, now);
        } else if (packet instanceof Unsubscribe unsub) {
            return new SubscribeHandler(config, sessions).unsubscribe(out, state, clientId, s, unsub, now);
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
        StepBuilder out = builder(state, nowMillis);
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
        StepBuilder out = builder(state, nowMillis);
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
        BrokerState next = out.apply(state, s.clientId(), s, sessions.onConnectionLost(s, nowMillis));
        return out.step(watching == null ? next : watching.lost(out, next, connection, nowMillis));
    }

    /**
     * The shell did something to the bytes of a connection on purpose (a fault rule or a probe,
     * for testing a client): the core's view of the wire follows what really crossed it. A copy
     * of an in-flight PUBLISH sent twice keeps its packet identifier off new messages until the
     * connection ends, as after a 3.1.1 timed resend; everything else changes no session (a
     * dropped packet is lost as on a failing network) and only informs the watch over the client,
     * which judges the client by what it really saw.
     */
    public Step wireFault(BrokerState state, ConnectionId connection, WireFault fault, long nowMillis) {
        StepBuilder out = builder(state, nowMillis);
        BrokerState next = state;
        Session s = state.sessionOn(connection);
        if (fault instanceof WireFault.Duplicated d && s != null) {
            next = out.apply(next, s.clientId(), s, sessions.onPublishDuplicated(s, d.copy().packetId()));
        }
        return out.step(watching == null ? next : watching.fault(out, next, connection, fault, nowMillis));
    }

    public Step timerFired(BrokerState state, Timer timer, long nowMillis) {
        StepBuilder out = builder(state, nowMillis);
        return out.step(new DeadlineHandler(config, sessions, watching).fired(out, state, timer, nowMillis));
    }

    /**
     * An administrator asks for the client's connection to end (the HTTP API): a 5.0 client gets
     * DISCONNECT 0x98 Administrative action, and the connection closes as any the server closes:
     * the will goes out, the session stays or ends by its expiry. An empty step when the client
     * is not connected.
     */
    public Step administratorDisconnects(BrokerState state, String clientId, long nowMillis) {
        Session s = state.session(clientId);
        if (s == null || !s.isOnline()) {
            return new Step(state, List.of());
        }
        StepBuilder out = builder(state, nowMillis);
        return out.step(out.apply(state, clientId, s, sessions.onAdministrativeDisconnect(s, nowMillis)));
    }

    /**
     * An administrator deletes the retained message of {@code topic}, as a PUBLISH with RETAIN=1
     * and no payload would [v3.1.1 MQTT-3.3.1-10; v5 MQTT-3.3.1-6], but without routing anything
     * to the subscribers. An unchanged state when the topic holds none.
     */
    public Step administratorDeletesRetained(BrokerState state, String topic, long nowMillis) {
        Router router = state.router();
        Publish deletion = new Publish(topic, new byte[0], QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY);
        // through a step builder, so that with persistence on the deletion is made durable too
        return builder(state, nowMillis).step(state.withRouter(router.withRetained(router.retained().retain(deletion, nowMillis))));
    }

    /**
     * The broker publishes a message of its own (the shell's {@code $SYS} topics): routed as a
     * will is, from no client, so every matching subscription gets it and RETAIN=1 replaces the
     * topic's retained message. Filters that start with a wildcard do not match a topic that
     * starts with {@code $} [MQTT-4.7.2-1]; the router sees to that.
     *
     * @throws IllegalArgumentException when the topic is no valid Topic Name (empty, or with a wildcard)
     */
    public Step publishFromBroker(BrokerState state, Publish publish, long nowMillis) {
        String topic = publish.topic();
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new IllegalArgumentException("not a Topic Name: '" + topic + "'");
        }
        // not made durable: the shell publishes every value afresh at start and every interval after
        StepBuilder out = new StepBuilder(sessions, nowMillis, watching, null);
        return out.step(out.route(state, publish.forHop(publish.qos(), 0), null));
    }

    /**
     * The broker is stopping: 5.0 clients get DISCONNECT 0x8B, every connection closes. Wills
     * are not published (nobody is left to receive them); sessions that would end with their
     * connection are dropped, kept ones stay in the returned state, offline.
     */
    public Step shutdown(BrokerState state, long nowMillis) {
        StepBuilder out = builder(state, nowMillis);
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
