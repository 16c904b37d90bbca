package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionTransitions;

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

    void connect(Transaction tx, ConnectionId conn, Connect connect, long now) {
        boolean v5 = connect.version().isV5();
        ReasonCode refusal = refusal(connect);
        if (refusal != null) {
            reject(tx, conn, refusal, v5);
            return;
        }
        String clientId = connect.clientId();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (!v5 && !connect.cleanStart()) {
                // Zero-byte ClientId needs CleanSession=1 [v3.1.1 MQTT-3.1.3-8]
                reject(tx, conn, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, false);
                return;
            }
            // The server assigns a unique identifier [v3.1.1 MQTT-3.1.3-6; v5 MQTT-3.1.3-6, -7, MQTT-3.2.2-16]
            clientId = assignClientId(tx);
            assigned = v5;
        }
        tx.effect(new Effect.CancelTimer(new Timer.ConnectTimeout(conn)));
        Session existing = tx.state().session(clientId);
        if (existing != null && existing.isOnline()) {
            // The client identifier is connected already: close that connection
            // [v3.1.1 MQTT-3.1.4-2; v5 MQTT-3.1.4-3]
            tx.apply(clientId, existing, sessions.onTakeOver(existing, now));
            existing = tx.state().session(clientId);
        }
        tx.state(tx.state().withConnection(conn, new ConnectionState.Attached(clientId)));
        tx.apply(clientId, existing, sessions.onConnect(existing, clientId, assigned, connect, conn, now));
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
    private static void reject(Transaction tx, ConnectionId conn, ReasonCode code, boolean v5) {
        tx.effect(new Effect.Send(conn, new Connack(false, code, Properties.EMPTY)));
        BrokerCore.refuseConnection(tx, conn, code, "CONNECT refused: " + code.specName());
    }

    /** The configured prefix and a counter, skipping identifiers a session already uses. */
    private String assignClientId(Transaction tx) {
        long n = tx.state().assignedIds();
        String id;
        do {
            n++;
            id = config.assignedClientIdPrefix() + n;
        } while (tx.state().session(id) != null);
        tx.state(tx.state().withAssignedIds(n));
        return id;
    }
}
