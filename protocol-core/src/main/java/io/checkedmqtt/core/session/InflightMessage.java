package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.routing.MessageExpiry;

/**
 * One outbound QoS 1 or 2 message that holds a packet identifier towards the client.
 *
 * @param publish      the PUBLISH as first sent (DUP 0, its packet identifier, the delivered QoS)
 * @param stage        how far the handshake got
 * @param sentAtMillis when the PUBLISH or PUBREL was last written (drives 3.1.1 timed resend)
 * @param resends      timed resends done so far inside the current connection
 * @param expiresAtMillis when its 5.0 Message Expiry Interval runs out ({@link MessageExpiry#NEVER}
 *                        without one): a resend carries the seconds left then, not those of the
 *                        first send ({@link MessageExpiry#forResend})
 * @param held         sent on an earlier connection and not yet again on this one: the client
 *                     reconnected with a Receive Maximum smaller than what is in flight, so its
 *                     PUBLISH waits for a free slot [v5 MQTT-3.3.4-9], keeping its identifier
 */
public record InflightMessage(Publish publish, DeliveryStage stage, long sentAtMillis, int resends,
                              long expiresAtMillis, boolean held) {

    /** A message without Message Expiry Interval, not held. */
    public InflightMessage(Publish publish, DeliveryStage stage, long sentAtMillis, int resends) {
        this(publish, stage, sentAtMillis, resends, MessageExpiry.NEVER, false);
    }

    /** A message just sent for the first time, that never expires. */
    public static InflightMessage sent(Publish publish, long nowMillis) {
        return sent(publish, nowMillis, MessageExpiry.NEVER);
    }

    /** A message just sent for the first time, whose Message Expiry Interval runs out at {@code expiresAtMillis}. */
    public static InflightMessage sent(Publish publish, long nowMillis, long expiresAtMillis) {
        DeliveryStage stage = publish.qos() == QoS.EXACTLY_ONCE ? DeliveryStage.AWAITING_PUBREC
                : DeliveryStage.AWAITING_PUBACK;
        return new InflightMessage(publish, stage, nowMillis, 0, expiresAtMillis, false);
    }

    public int packetId() {
        return publish.packetId();
    }

    public InflightMessage released(long nowMillis) {
        return new InflightMessage(publish, DeliveryStage.AWAITING_PUBCOMP, nowMillis, 0, expiresAtMillis, false);
    }

    /** Written again at {@code nowMillis}: on reconnect, or ({@code timed}) by the 3.1.1 timed resend. */
    public InflightMessage resent(long nowMillis, boolean timed) {
        return new InflightMessage(publish, stage, nowMillis, timed ? resends + 1 : 0, expiresAtMillis, false);
    }

    /** Not written on the new connection yet: it waits for a slot in the client's Receive Maximum. */
    public InflightMessage heldBack() {
        return new InflightMessage(publish, stage, sentAtMillis, 0, expiresAtMillis, true);
    }
}
