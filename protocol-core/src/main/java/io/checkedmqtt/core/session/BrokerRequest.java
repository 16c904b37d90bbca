package io.checkedmqtt.core.session;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;

/**
 * What a session transition asks of the broker core, which owns the router and the table of
 * sessions. The other half of a {@link SessionStep} are its {@link Effect}s, which go to the
 * shell (send, close, timers); requests never leave the core: the broker core carries each one
 * out inside the same broker step, in order, and only the effects that result reach the shell.
 */
public sealed interface BrokerRequest {

    /**
     * The server now owns this message from the client: hand it to every matching subscription
     * [v3.1.1 MQTT-4.5.0-1, v5 MQTT-4.5.0-1], then send the publisher the
     * {@link #acknowledgement} its QoS calls for [v3.1.1 MQTT-4.3.2-2, MQTT-4.3.3-2;
     * v5 MQTT-4.3.2-4, MQTT-4.3.3-8]. Routing comes first because the 5.0 acknowledgement says
     * whether anybody subscribed. The PUBLISH is as received, its Topic Alias resolved.
     *
     * @param publisherConnection the connection the PUBLISH arrived on, where the answer goes
     * @param version             the publisher's protocol version: only 5.0 has reason codes
     */
    record RouteMessage(String publisherClientId, Publish publish, ConnectionId publisherConnection,
                        ProtocolVersion version) implements BrokerRequest {

        /**
         * The answer to the publisher once the router has run, or null for QoS 0: PUBACK for
         * QoS 1, PUBREC for QoS 2, with the PUBLISH's packet identifier. In 5.0 its reason code
         * is 0x10 No matching subscribers when the router found nobody and 0x00 otherwise; either
         * way the message counts as accepted (v5 sections 3.4.2.1 and 3.5.2.1).
         *
         * @param matched whether the router handed the message to at least one subscription
         */
        public Effect acknowledgement(boolean matched) {
            return answer(matched || !version.isV5() ? ReasonCode.SUCCESS : ReasonCode.NO_MATCHING_SUBSCRIBERS);
        }

        /**
         * The answer to the publisher of a message the server does not take, for QoS 1 and 2 of a
         * 5.0 client (the only ones with a reason code to carry it): PUBACK or PUBREC with
         * {@code code}, 0x80 or more [v5 MQTT-3.4.2-1, MQTT-3.5.2-1].
         */
        public Effect refusal(ReasonCode code) {
            return answer(code);
        }

        private Effect answer(ReasonCode code) {
            int id = publish.packetId();
            return switch (publish.qos()) {
                case AT_MOST_ONCE -> null;
                case AT_LEAST_ONCE -> new Effect.Send(publisherConnection, code == ReasonCode.SUCCESS
                        ? new PubAck(id) : new PubAck(id, code, Properties.EMPTY));
                case EXACTLY_ONCE -> new Effect.Send(publisherConnection, code == ReasonCode.SUCCESS
                        ? new PubRec(id) : new PubRec(id, code, Properties.EMPTY));
            };
        }
    }

    /** Publish this Will Message as if the client had sent it [v3.1.1 MQTT-3.1.2-8, v5 MQTT-3.1.2-8]. */
    record PublishWill(String clientId, Will will) implements BrokerRequest {
    }

    /** The session ended: forget it and its subscriptions [v5 MQTT-4.1.0-2]. */
    record DiscardSession(String clientId) implements BrokerRequest {
    }

    /**
     * A kept session changed in a way a persistence layer must record (it connected or went
     * offline). Nothing consumes this yet; the broker core drops it.
     */
    record PersistSession(Session session) implements BrokerRequest {
    }
}
