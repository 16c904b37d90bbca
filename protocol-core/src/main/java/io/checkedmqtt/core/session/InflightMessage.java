package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

/**
 * One outbound QoS 1 or 2 message that holds a packet identifier towards the client.
 *
 * @param publish      the PUBLISH as first sent (DUP 0, its packet identifier, the delivered QoS)
 * @param stage        how far the handshake got
 * @param sentAtMillis when the PUBLISH or PUBREL was last written (drives 3.1.1 timed resend)
 * @param resends      timed resends done so far inside the current connection
 */
public record InflightMessage(Publish publish, DeliveryStage stage, long sentAtMillis, int resends) {

    /** A message just sent for the first time. */
    public static InflightMessage sent(Publish publish, long nowMillis) {
        DeliveryStage stage = publish.qos() == QoS.EXACTLY_ONCE ? DeliveryStage.AWAITING_PUBREC
                : DeliveryStage.AWAITING_PUBACK;
        return new InflightMessage(publish, stage, nowMillis, 0);
    }

    public int packetId() {
        return publish.packetId();
    }

    public InflightMessage released(long nowMillis) {
        return new InflightMessage(publish, DeliveryStage.AWAITING_PUBCOMP, nowMillis, 0);
    }

    public InflightMessage resent(long nowMillis, boolean timed) {
        return new InflightMessage(publish, stage, nowMillis, timed ? resends + 1 : 0);
    }
}
