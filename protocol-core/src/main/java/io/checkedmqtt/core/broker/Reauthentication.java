package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.EnhancedAuth;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionTransitions;

/**
 * AUTH on a connection whose CONNECT was accepted: 5.0 re-authentication (section 4.12.1). The
 * client opens it with AUTH 0x19 and the method it connected with [v5 MQTT-4.12.1-1]; the
 * exchange then runs as at CONNECT and ends with AUTH 0x00 carrying the method
 * [v5 MQTT-4.12.0-5]. The connection keeps working meanwhile. A failed re-authentication gets
 * DISCONNECT with the reason and a close [v5 MQTT-4.12.1-2]; the session and its will then go as
 * for any server-side close. A successful one may change the user the client is known as.
 */
final class Reauthentication {

    private final BrokerConfig config;
    private final SessionTransitions sessions;

    Reauthentication(BrokerConfig config, SessionTransitions sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    BrokerState onAuth(StepBuilder out, BrokerState state, Session s, Auth auth, long now, String serverNonce) {
        ConnectionId conn = s.link().connection();
        AccessState.Enhanced at = state.access().enhanced().get(conn);
        if (at == null) {
            // The CONNECT had no Authentication Method: the client may send no AUTH [v5 MQTT-4.12.0-7]
            return fail(out, state, s, ReasonCode.PROTOCOL_ERROR, "AUTH without an authentication method", now);
        }
        EnhancedAuth.Outcome outcome;
        if (auth.reasonCode() == ReasonCode.RE_AUTHENTICATE) {
            String method = auth.properties().string(PropertyId.AUTHENTICATION_METHOD);
            if (at.exchange() != null) {
                return fail(out, state, s, ReasonCode.PROTOCOL_ERROR, "re-authentication while one is running", now);
            }
            if (!at.method().equals(method)) {
                // [v5 MQTT-4.12.1-1]; 0x8C is the code for a method that does not match the one in use
                return fail(out, state, s, ReasonCode.BAD_AUTHENTICATION_METHOD,
                        "re-authentication with " + method + " on a connection authenticated with " + at.method(), now);
            }
            outcome = EnhancedAuth.begin(config.authorizer(), method,
                    auth.properties().binary(PropertyId.AUTHENTICATION_DATA), serverNonce);
        } else if (at.exchange() == null) {
            return fail(out, state, s, ReasonCode.PROTOCOL_ERROR,
                    "AUTH " + auth.reasonCode().specName() + " outside a re-authentication", now);
        } else {
            outcome = EnhancedAuth.proceed(at.exchange(), auth);
        }
        if (outcome instanceof EnhancedAuth.Outcome.Challenge c) {
            out.effect(new Effect.Send(conn, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, c.properties())));
            return state.withAccess(state.access().withEnhanced(conn,
                    new AccessState.Enhanced(at.method(), c.next(), null)));
        }
        if (outcome instanceof EnhancedAuth.Outcome.Authenticated a) {
            out.effect(new Effect.Send(conn, new Auth(ReasonCode.SUCCESS, a.properties())));
            return state.withAccess(state.access().withEnhanced(conn, new AccessState.Enhanced(at.method(), null, null))
                    .withUsername(s.clientId(), a.username()));
        }
        EnhancedAuth.Outcome.Refused r = (EnhancedAuth.Outcome.Refused) outcome;
        return fail(out, state, s, r.reason(), "re-authentication failed: " + r.detail(), now);
    }

    /** DISCONNECT with the reason (5.0) and close [v5 MQTT-4.12.1-2]. */
    private BrokerState fail(StepBuilder out, BrokerState state, Session s, ReasonCode reason, String detail, long now) {
        return out.apply(state, s.clientId(), s, sessions.onProtocolViolation(s, reason, detail, now));
    }
}
