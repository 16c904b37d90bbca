package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.EnhancedAuth;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.MemoryBudget;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.routing.PayloadFormat;
import io.checkedmqtt.core.session.Link;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionStep;
import io.checkedmqtt.core.session.SessionTransitions;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * CONNECT on a fresh connection: the broker-wide checks (features this broker lacks), who the
 * client is (password, anonymous, or a 5.0 enhanced authentication exchange that may take
 * several AUTH packets), the connection cap, the server-assigned identifier, the take-over of a
 * connected session, and then the session's own {@link SessionTransitions#onConnect}.
 */
final class ConnectHandler {

    private final BrokerConfig config;
    private final SessionTransitions sessions;

    ConnectHandler(BrokerConfig config, SessionTransitions sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    /**
     * CONNECT on a connection that has sent nothing else. A 5.0 CONNECT with an Authentication
     * Method starts an enhanced authentication exchange and waits for it ({@link #authenticate});
     * any other is checked against the password file and {@code allow_anonymous} at once.
     *
     * @param serverNonce fresh randomness from the shell when {@link BrokerCore#needsServerNonce}
     *                    said this packet needs it, else null
     */
    BrokerState connect(StepBuilder out, BrokerState state, ConnectionId conn, Connect connect, long now,
                        String serverNonce) {
        boolean v5 = connect.version().isV5();
        if (v5) {
            // what the CONNACK may be, whether it accepts or refuses [v5 MQTT-3.1.2-24]
            out.limitPacketSize(conn, connect.properties().integer(PropertyId.MAXIMUM_PACKET_SIZE,
                    Link.NO_MAXIMUM_PACKET_SIZE));
        }
        ReasonCode refusal = refusal(connect);
        if (refusal == ReasonCode.QOS_NOT_SUPPORTED && !connect.version().isV5()) {
            // 3.1.1 has no return code for it: close without CONNACK [v3.1.1 MQTT-3.2.2-6]
            return BrokerCore.refuseConnection(out, state, conn, refusal, "CONNECT refused: will QoS "
                    + connect.will().qos().value() + " above max_qos " + config.limits().maximumQos().value());
        }
        if (refusal != null) {
            return reject(out, state, conn, connect, refusal, "CONNECT refused: " + refusal.specName());
        }
        if (connect.will() != null && config.maxTopicLevels() > 0
                && TopicFilter.levelCount(connect.will().topic()) > config.maxTopicLevels()) {
            // A Will Topic deeper than this server takes: 5.0 CONNACK 0x90 Topic Name invalid ("the
            // Will Topic Name is not malformed, but is not accepted by this Server", section
            // 3.2.2.2). 3.1.1 has no return code for it, so the connection closes without CONNACK
            // [v3.1.1 MQTT-3.2.2-6].
            String why = "CONNECT refused: Will Topic has more than " + config.maxTopicLevels() + " levels";
            return v5 ? reject(out, state, conn, connect, ReasonCode.TOPIC_NAME_INVALID, why)
                    : BrokerCore.refuseConnection(out, state, conn, ReasonCode.TOPIC_NAME_INVALID, why);
        }
        if (!connect.clientId().isEmpty() && !config.authorizer().acceptsClientId(connect.clientId())) {
            // [v5 MQTT-3.1.3-8] CONNACK 0x85, [v3.1.1 MQTT-3.1.3-9] return code 0x02; then close
            return reject(out, state, conn, connect, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "CONNECT refused: client id "
                    + connect.clientId() + " does not start with " + config.authorizer().clientIdPrefix());
        }
        String method = connect.version().isV5() ? connect.properties().string(PropertyId.AUTHENTICATION_METHOD) : null;
        if (method != null) {
            EnhancedAuth.Outcome first = EnhancedAuth.begin(config.authorizer(), method,
                    connect.properties().binary(PropertyId.AUTHENTICATION_DATA), serverNonce);
            return enhancedStep(out, state, conn, new AccessState.Enhanced(method, null, connect), first, now);
        }
        // [v3.1.1 MQTT-3.1.2-19, MQTT-3.1.2-21; v5 MQTT-3.1.2-17, MQTT-3.1.2-19]: the User Name and
        // Password are the server's to check; 5.0 0x86 / 0x87, 3.1.1 return codes 4 / 5.
        ReasonCode denied = config.authorizer().refusal(connect.userName(), connect.password());
        if (denied != null) {
            return reject(out, state, conn, connect, denied, "CONNECT refused: " + denied.specName()
                    + (connect.userName() == null ? " (anonymous)" : " (user " + connect.userName() + ")"));
        }
        return admit(out, state, conn, connect, connect.userName(), Properties.EMPTY, now);
    }

    /** The client's AUTH while its CONNECT waits for enhanced authentication. */
    BrokerState authenticate(StepBuilder out, BrokerState state, ConnectionId conn, Auth auth, long now) {
        AccessState.Enhanced waiting = state.access().enhanced().get(conn);
        if (waiting == null || waiting.exchange() == null) {
            // AUTH before the CONNECT asked for it [v5 MQTT-4.12.0-7 is the client's side]
            return BrokerCore.refuseConnection(out, state, conn, ReasonCode.PROTOCOL_ERROR,
                    "AUTH without an authentication exchange");
        }
        return enhancedStep(out, state, conn, waiting, EnhancedAuth.proceed(waiting.exchange(), auth), now);
    }

    private BrokerState enhancedStep(StepBuilder out, BrokerState state, ConnectionId conn, AccessState.Enhanced at,
                                     EnhancedAuth.Outcome outcome, long now) {
        if (outcome instanceof EnhancedAuth.Outcome.Challenge c) {
            // More data needed: AUTH 0x18 with the method [v5 MQTT-4.12.0-2, MQTT-4.12.0-5]; the
            // connect timeout keeps running, so an abandoned exchange still ends.
            if (at.exchange() == null) {
                out.effect(new Effect.Authenticating(conn, at.held().version()));
            }
            out.effect(new Effect.Send(conn, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, c.properties())));
            return state.withAccess(state.access().withEnhanced(conn,
                    new AccessState.Enhanced(at.method(), c.next(), at.held())));
        }
        if (outcome instanceof EnhancedAuth.Outcome.Authenticated a) {
            BrokerState next = state.withAccess(state.access().withEnhanced(conn,
                    new AccessState.Enhanced(at.method(), null, null)));
            return admit(out, next, conn, at.held(), a.username(), a.properties(), now);
        }
        EnhancedAuth.Outcome.Refused r = (EnhancedAuth.Outcome.Refused) outcome;
        // [v5 MQTT-4.12.0-1] unknown method, [v5 MQTT-4.12.0-4] failed exchange: CONNACK, then close
        return reject(out, state.withAccess(state.access().withEnhanced(conn, null)), conn, at.held(), r.reason(),
                "CONNECT refused: " + r.reason().specName() + " (" + at.method() + ": " + r.detail() + ")");
    }

    /**
     * An authenticated CONNECT: the server-assigned identifier, the connection cap, the take-over
     * of a connected session, then the session's own {@link SessionTransitions#onConnect}.
     *
     * @param username the user the client authenticated as, or null
     * @param authentication 5.0 enhanced authentication: the method and data the CONNACK carries
     *                       [v5 MQTT-4.12.0-5]; empty otherwise [v5 MQTT-4.12.0-6]
     */
    private BrokerState admit(StepBuilder out, BrokerState state, ConnectionId conn, Connect connect, String username,
                              Properties authentication, long now) {
        boolean v5 = connect.version().isV5();
        BrokerState next = state;
        String clientId = connect.clientId();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (!v5 && !connect.cleanStart()) {
                // Zero-byte ClientId needs CleanSession=1 [v3.1.1 MQTT-3.1.3-8]
                return reject(out, state, conn, connect, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "CONNECT refused: empty client identifier with CleanSession 0");
            }
            // The server assigns a unique identifier [v3.1.1 MQTT-3.1.3-6; v5 MQTT-3.1.3-6, -7, MQTT-3.2.2-16]
            long n = next.assignedIds();
            do {
                n++;
                clientId = config.assignedClientIdPrefix() + n;
            } while (next.session(clientId) != null);
            next = next.withAssignedIds(n);
            assigned = v5;
        }
        Session existing = next.session(clientId);
        boolean takeOver = existing != null && existing.isOnline();
        int cap = config.limits().maxConnections();
        if (cap > 0 && !takeOver && next.connectedClients() >= cap) {
            // An administrative limit: 5.0 0x97 Quota exceeded (section 3.2.2.2), 3.1.1 0x03 Server
            // unavailable (section 3.2.2.3); then close [v5 MQTT-3.2.2-7; v3.1.1 MQTT-3.2.2-5].
            return reject(out, state, conn, connect, v5 ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.SERVER_UNAVAILABLE,
                    "CONNECT refused: max_connections " + cap + " reached");
        }
        if (overSessionBudget(next, existing, clientId, connect)) {
            return reject(out, state, conn, connect, v5 ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.SERVER_UNAVAILABLE,
                    "CONNECT refused: the sessions' memory budget is reached");
        }
        out.effect(new Effect.CancelTimer(new Timer.ConnectTimeout(conn)));
        if (takeOver) {
            // The client identifier is connected already: close that connection
            // [v3.1.1 MQTT-3.1.4-2; v5 MQTT-3.1.4-3]
            next = out.apply(next, clientId, existing, sessions.onTakeOver(existing, !connect.cleanStart(), now));
            existing = next.session(clientId);
        }
        next = next.withAttached(conn, clientId);
        next = next.withAccess(next.access().withUsername(clientId, username));
        out.effect(new Effect.Attached(conn, clientId, connect.version()));   // before the CONNACK: it is encoded in this version
        SessionStep connected = sessions.onConnect(existing, clientId, assigned, connect, conn, now);
        Properties extra = authentication;
        if (v5 && config.limits().maximumQos() != QoS.EXACTLY_ONCE) {
            // [v5 MQTT-3.2.2-9] a server without QoS 1 or 2 says so in CONNACK
            extra = extra.withInteger(PropertyId.MAXIMUM_QOS, config.limits().maximumQos().value());
        }
        return out.apply(next, clientId, existing, extra.isEmpty() ? connected
                : withConnackProperties(connected, extra));
    }

    /** The step with {@code extra} added to the properties of the CONNACK it sends. */
    private static SessionStep withConnackProperties(SessionStep step, Properties extra) {
        List<Effect> effects = new ArrayList<>(step.effects().size());
        for (Effect e : step.effects()) {
            if (e instanceof Effect.Send send && send.packet() instanceof Connack c) {
                Properties p = c.properties();
                for (Property property : extra.asList()) {
                    p = p.with(property);
                }
                effects.add(new Effect.Send(send.connection(), new Connack(c.sessionPresent(), c.reasonCode(), p)));
            } else {
                effects.add(e);
            }
        }
        return new SessionStep(step.session(), effects, step.requests());
    }

    /**
     * Whether this CONNECT would take the sessions past their budget: a new kept session (Session
     * Expiry above 0, 3.1.1 CleanSession 0) when {@code maxSessions} are kept already, or a client
     * identifier and will that would take the sessions past {@code maxSessionBytes}. Resuming a
     * kept session is never refused for its count. The answer is CONNACK 0x97 Quota exceeded in
     * 5.0 ("an implementation or administrative imposed limit has been exceeded", section 3.2.2.2)
     * and 0x03 Server unavailable in 3.1.1, whose return codes have nothing closer (section 3.2.2.3).
     */
    private boolean overSessionBudget(BrokerState state, Session existing, String clientId, Connect connect) {
        MemoryBudget budget = config.budget();
        boolean kept = connect.version().isV5()
                ? Math.min(connect.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, 0),
                        config.maxSessionExpirySeconds()) > 0
                : !connect.cleanStart();
        boolean oneMoreKept = kept && (existing == null || existing.endsWithConnection());
        if (oneMoreKept && state.holdings().keptSessions() >= budget.maxSessions()) {
            return true;
        }
        long bytes = clientId.length() + (connect.will() == null ? 0 : connect.will().weight());
        long growth = bytes - Holdings.sessionBytes(existing);
        return growth > 0 && state.holdings().sessionBytes() + growth > budget.maxSessionBytes();
    }

    /** Why this broker refuses a well-formed CONNECT, or null. */
    private ReasonCode refusal(Connect connect) {
        if (connect.will() != null && connect.will().qos().value() > config.limits().maximumQos().value()) {
            // A will QoS above what the server supports [v5 MQTT-3.2.2-12]: 0x9B
            return ReasonCode.QOS_NOT_SUPPORTED;
        }
        if (!connect.version().isV5()) {
            return null;
        }
        if (connect.will() != null && connect.will().retain() && !config.retainAvailable()) {
            // [v5 MQTT-3.2.2-13]
            return ReasonCode.RETAIN_NOT_SUPPORTED;
        }
        if (connect.will() != null && !PayloadFormat.agrees(connect.will().properties(), connect.will().payload())) {
            // The Will says its payload is UTF-8 and it is not (v5 section 3.1.3.2.3).
            return ReasonCode.PAYLOAD_FORMAT_INVALID;
        }
        if (connect.properties().integer(PropertyId.RECEIVE_MAXIMUM, 1) == 0
                || connect.properties().integer(PropertyId.MAXIMUM_PACKET_SIZE, 1) == 0) {
            return ReasonCode.PROTOCOL_ERROR;
        }
        return null;
    }

    /**
     * Refuse with a CONNACK that has Session Present 0 [v3.1.1 MQTT-3.2.2-4; v5 MQTT-3.2.2-6]
     * and close [v3.1.1 MQTT-3.2.2-5; v5 MQTT-3.2.2-7].
     */
    private static BrokerState reject(StepBuilder out, BrokerState state, ConnectionId conn, Connect connect,
                                      ReasonCode code, String detail) {
        out.effect(new Effect.Refused(conn, connect.version()));
        out.effect(new Effect.Send(conn, new Connack(false, code, Properties.EMPTY)));
        return BrokerCore.refuseConnection(out, state, conn, code, detail);
    }
}
