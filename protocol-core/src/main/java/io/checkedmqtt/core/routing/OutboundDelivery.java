package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;

import java.util.function.ToIntFunction;

/**
 * The last steps before a PUBLISH to a 5.0 client is written, in the order they must happen:
 * <ol>
 *   <li>Message Expiry: an expired message is not sent [MQTT-3.3.2-5]; otherwise the interval is
 *       lowered to what is left [MQTT-3.3.2-6] ({@link MessageExpiry});</li>
 *   <li>Topic Alias: {@link OutboundTopicAliases#apply};</li>
 *   <li>Maximum Packet Size: a PUBLISH larger than the client's Maximum Packet Size is not sent
 *       [MQTT-3.1.2-24] and is treated as delivered: drop it, as if it had been acknowledged,
 *       for this subscriber only [MQTT-3.1.2-25]. If the aliased form is too large but the
 *       plain form would fit (never the case in practice), the plain form is sent.</li>
 * </ol>
 * For a 3.1.1 client call it with {@link OutboundTopicAliases#forConnection forConnection(0)} and
 * no size limit (3.1.1 has neither expiry nor these limits on the wire; the codec drops the
 * properties), or skip it.
 *
 * <p>The encoded size comes from the codec ({@link MqttEncoder#encodedSize}); the overload with a
 * {@code ToIntFunction} lets tests put in their own.
 */
public final class OutboundDelivery {

    private OutboundDelivery() {
    }

    /** What became of one PUBLISH. */
    public enum Outcome {
        /** Write {@link Prepared#publish()} and keep {@link Prepared#aliases()}. */
        SEND,
        /** Its Message Expiry Interval passed while it waited: drop it [MQTT-3.3.2-5]. */
        EXPIRED,
        /** Larger than the client's Maximum Packet Size: drop it as if delivered [MQTT-3.1.2-25]. */
        TOO_LARGE
    }

    /** The outcome; {@code publish} is null unless SEND; {@code aliases} is always the state to keep. */
    public record Prepared(Outcome outcome, Publish publish, OutboundTopicAliases aliases) {
    }

    /**
     * Prepares {@code publish} (packet id already assigned) for a client of {@code version}, sized
     * by the codec. {@code maximumPacketSize} is the client's Maximum Packet Size, or
     * {@link io.checkedmqtt.core.codec.MaximumPacketSize#UNLIMITED} when it sent none.
     */
    public static Prepared prepare(Publish publish, long receivedAtMillis, long nowMillis,
                                   OutboundTopicAliases aliases, long maximumPacketSize, ProtocolVersion version) {
        return prepare(publish, receivedAtMillis, nowMillis, aliases, maximumPacketSize,
                p -> MqttEncoder.encodedSize(p, version));
    }

    /**
     * Prepares {@code publish} (packet id already assigned) for writing at {@code nowMillis}.
     *
     * @param receivedAtMillis  when the server received the message (for expiry)
     * @param maximumPacketSize the client's Maximum Packet Size; {@code Long.MAX_VALUE} when absent
     * @param encodedSize       the codec's encoded size of a PUBLISH for this client's version
     */
    public static Prepared prepare(Publish publish, long receivedAtMillis, long nowMillis,
                                   OutboundTopicAliases aliases, long maximumPacketSize,
                                   ToIntFunction<Publish> encodedSize) {
        Publish live = MessageExpiry.forDelivery(publish, receivedAtMillis, nowMillis);
        if (live == null) {
            return new Prepared(Outcome.EXPIRED, null, aliases);
        }
        OutboundTopicAliases.Aliased aliased = aliases.apply(live);
        if (encodedSize.applyAsInt(aliased.publish()) <= maximumPacketSize) {
            return new Prepared(Outcome.SEND, aliased.publish(), aliased.aliases());
        }
        Publish plain = OutboundTopicAliases.forConnection(0).apply(live).publish();
        if (encodedSize.applyAsInt(plain) <= maximumPacketSize) {
            return new Prepared(Outcome.SEND, plain, aliases);
        }
        return new Prepared(Outcome.TOO_LARGE, null, aliases);
    }
}
