package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.routing.PayloadFormat;
import io.checkedmqtt.core.session.Link;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionTransitions;
import io.checkedmqtt.core.topic.TopicFilter;

/**
 * CONNECT on a fresh connection: the broker-wide checks (client identifier, features this
 * broker lacks), the server-assigned identifier, the take-over of a connected session, and then
 * the session's own {@link SessionTransitions#onConnect}.
 */
final class ConnectHandler {

    private final BrokerConfig config;
    private final SessionTransitions sessions;

    ConnectHandler(BrokerConfig config, SessionTransitions sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    BrokerState connect(StepBuilder out, BrokerState state, ConnectionId conn, Connect connect, long now) {
        boolean v5 = connect.version().isV5();
        if (v5) {
            // what the CONNACK may be, whether it accepts or refuses [v5 MQTT-3.1.2-24]
            out.limitPacketSize(conn, connect.properties().integer(PropertyId.MAXIMUM_PACKET_SIZE,
                    Link.NO_MAXIMUM_PACKET_SIZE));
        }
        ReasonCode refusal = refusal(connect);
        if (refusal != null) {
            return reject(out, state, conn, connect, refusal);
        }
        if (connect.will() != null && config.maxTopicLevels() > 0
                && TopicFilter.levelCount(connect.will().topic()) > config.maxTopicLevels()) {
            // A Will Topic deeper than this server takes: 5.0 CONNACK 0x90 Topic Name invalid ("the
            // Will Topic Name is not malformed, but is not accepted by this Server", section
            // 3.2.2.2). 3.1.1 has no return code for it, so the connection closes without CONNACK
            // [v3.1.1 MQTT-3.2.2-6].
            return v5 ? reject(out, state, conn, connect, ReasonCode.TOPIC_NAME_INVALID)
                    : BrokerCore.refuseConnection(out, state, conn, ReasonCode.TOPIC_NAME_INVALID,
                    "CONNECT refused: Will Topic has more than " + config.maxTopicLevels() + " levels");
        }
        BrokerState next = state;
        String clientId = connect.clientId();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (!v5 && !connect.cleanStart()) {
                // Zero-byte ClientId needs CleanSession=1 [v3.1.1 MQTT-3.1.3-8]
                return reject(out, state, conn, connect, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
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
        out.effect(new Effect.CancelTimer(new Timer.ConnectTimeout(conn)));
        Session existing = next.session(clientId);
        if (existing != null && existing.isOnline()) {
            // The client identifier is connected already: close that connection
            // [v3.1.1 MQTT-3.1.4-2; v5 MQTT-3.1.4-3]
            next = out.apply(next, clientId, existing, sessions.onTakeOver(existing, !connect.cleanStart(), now));
            existing = next.session(clientId);
        }
        next = next.withAttached(conn, clientId);
        out.effect(new Effect.Attached(conn, clientId, connect.version()));   // before the CONNACK: it is encoded in this version
        return out.apply(next, clientId, existing, sessions.onConnect(existing, clientId, assigned, connect, conn, now));
    }

    /** Why this broker refuses a well-formed CONNECT, or null. */
    private ReasonCode refusal(Connect connect) {
        if (!connect.version().isV5()) {
            return null;
        }
        if (connect.properties().contains(PropertyId.AUTHENTICATION_METHOD)) {
            // No enhanced authentication methods are supported [v5 MQTT-4.12.0-1]
            return ReasonCode.BAD_AUTHENTICATION_METHOD;
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
                                      ReasonCode code) {
        out.effect(new Effect.Refused(conn, connect.version()));
        out.effect(new Effect.Send(conn, new Connack(false, code, Properties.EMPTY)));
        return BrokerCore.refuseConnection(out, state, conn, code, "CONNECT refused: " + code.specName());
    }
}
