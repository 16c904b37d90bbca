package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.session.DeliveryStage;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.Link;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.topic.SharedSubscription;
import io.checkedmqtt.core.topic.TopicFilter;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after every step of the broker core, whatever its inputs were; the whole-core
 * fuzz target checks them ({@link BrokerCoreFuzzTest}). Each throws {@link AssertionError} with
 * what it found.
 */
final class CoreInvariants {

    private CoreInvariants() {
    }

    /**
     * Every online session: packet identifiers in flight are 1..65535 and unique
     * [v3.1.1 MQTT-2.3.1-2, -4; v5 MQTT-2.2.1-3, -4], and the PUBLISHes it has sent on this
     * connection and not had acknowledged stay within the client's Receive Maximum
     * [v5 MQTT-3.3.4-9] (3.1.1: within max_inflight_messages).
     */
    static void sessionsAreSound(BrokerState state) {
        for (Map.Entry<String, Session> e : state.sessions()) {
            Session s = e.getValue();
            Set<Integer> ids = new HashSet<>();
            int unacknowledgedPublishes = 0;
            for (InflightMessage m : s.inflight()) {
                int id = m.packetId();
                check(id >= 1 && id <= 65_535, "packet id " + id + " in flight for " + e.getKey());
                check(ids.add(id), "packet id " + id + " twice in flight for " + e.getKey() + ": " + s.inflight());
                if (!m.held() && m.stage() != DeliveryStage.AWAITING_PUBCOMP) {
                    unacknowledgedPublishes++;
                }
            }
            if (s.isOnline()) {
                check(unacknowledgedPublishes <= s.link().sendLimit(), e.getKey() + " has " + unacknowledgedPublishes
                        + " PUBLISHes unacknowledged, over its limit " + s.link().sendLimit());
            }
        }
    }

    /**
     * Every packet the step sends can be written in the version the connection speaks, and fits
     * the client's 5.0 Maximum Packet Size [v5 MQTT-3.1.2-24].
     */
    static void sendsAreWritable(List<Effect> effects, Map<ConnectionId, ProtocolVersion> versions,
                                 Map<ConnectionId, Long> maximumPacketSizes) {
        for (Effect e : effects) {
            if (e instanceof Effect.Send send) {
                ProtocolVersion v = versions.get(send.connection());
                check(v != null, "sent " + send.packet() + " before the version of " + send.connection() + " was stated");
                int size = MqttEncoder.encodedSize(send.packet(), v);
                ByteBuffer out = ByteBuffer.allocate(size);
                MqttEncoder.encode(send.packet(), v, out);
                long max = maximumPacketSizes.getOrDefault(send.connection(), Link.NO_MAXIMUM_PACKET_SIZE);
                check(size <= max, send.packet().type() + " of " + size + " bytes to a client that takes " + max);
            }
        }
    }

    /**
     * A message published in this step went, sent or queued, only to sessions with a subscription
     * that matches its topic [v3.1.1 MQTT-3.3.5-1; v5 MQTT-3.3.4-1 ... routing]; and every session
     * that must get it at QoS 1 or 2 (a matching non-shared subscription of QoS 1 or 2, No Local
     * aside) got it: sent, queued, or counted as dropped [v3.1.1 MQTT-3.1.2-5, MQTT-4.3.2-1].
     *
     * @param before   the state before the step
     * @param after    the state after it
     * @param accepted whether the server accepted it at QoS 1/2 (its acknowledgement said so and
     *                 it is no repeat of one already held)
     */
    static void deliveredAsSubscribed(BrokerState before, BrokerState after, List<Effect> effects, String publisher,
                                      Publish message, boolean accepted) {
        for (Effect e : effects) {
            if (e instanceof Effect.Send send && send.packet() instanceof Publish p
                    && Arrays.equals(p.payload(), message.payload()) && !p.dup()) {
                String to = before.clientOn(send.connection());
                check(to != null, "delivered to " + send.connection() + ", which carries no session");
                check(bestQos(before.session(to), message.topic(), publisher.equals(to), true) >= 0,
                        "delivered " + message.topic() + " to " + to + " without a matching subscription: "
                                + before.session(to).subscriptions());
            }
        }
        for (Map.Entry<String, Session> e : before.sessions()) {
            Session was = e.getValue();
            Session now = after.session(e.getKey());
            if (now == null) {
                continue;
            }
            for (QueuedMessage q : now.queue().toList()) {
                if (Arrays.equals(q.publish().payload(), message.payload()) && !queued(was, message)) {
                    check(bestQos(was, message.topic(), publisher.equals(e.getKey()), true) >= 0,
                            "queued " + message.topic() + " for " + e.getKey() + " without a matching subscription");
                }
            }
            int qos = Math.min(message.qos().value(), bestQos(was, message.topic(), publisher.equals(e.getKey()), false));
            if (!accepted || qos < 1 || (now.link() != null
                    && now.link().maximumPacketSize() != Link.NO_MAXIMUM_PACKET_SIZE)) {
                continue;   // not owed at QoS 1/2, or possibly too large for the client: counted as delivered
            }
            boolean sent = sentTo(effects, was, message);
            boolean queued = queued(now, message);
            boolean dropped = now.droppedMessages() > was.droppedMessages();
            check(sent || queued || dropped, "accepted QoS " + message.qos().value() + " message on "
                    + message.topic() + " neither sent to, queued for, nor dropped by " + e.getKey());
        }
    }

    /** The highest QoS the session's subscriptions grant for this topic, -1 when none matches. */
    private static int bestQos(Session s, String topic, boolean ownMessage, boolean includeShared) {
        int best = -1;
        for (Map.Entry<String, SubscriptionOptions> sub : s.subscriptions().entrySet()) {
            String filter = sub.getKey();
            SharedSubscription shared = SharedSubscription.parse(filter);
            if (shared != null && !includeShared || SharedSubscription.isShared(filter) && shared == null) {
                continue;
            }
            String plain = shared == null ? filter : shared.filter();
            if (!TopicFilter.matches(plain, topic) || shared == null && ownMessage && sub.getValue().noLocal()) {
                continue;
            }
            best = Math.max(best, sub.getValue().maxQos().value());
        }
        return best;
    }

    private static boolean sentTo(List<Effect> effects, Session s, Publish message) {
        if (!s.isOnline()) {
            return false;
        }
        for (Effect e : effects) {
            if (e instanceof Effect.Send send && send.connection().equals(s.link().connection())
                    && send.packet() instanceof Publish p && Arrays.equals(p.payload(), message.payload())) {
                return true;
            }
        }
        return false;
    }

    private static boolean queued(Session s, Publish message) {
        for (QueuedMessage q : s.queue().toList()) {
            if (Arrays.equals(q.publish().payload(), message.payload())) {
                return true;
            }
        }
        return false;
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** The packets sent to {@code connection} in these effects. */
    static List<Packet> sentTo(List<Effect> effects, ConnectionId connection) {
        return effects.stream().filter(e -> e instanceof Effect.Send s && s.connection().equals(connection))
                .map(e -> ((Effect.Send) e).packet()).toList();
    }
}
