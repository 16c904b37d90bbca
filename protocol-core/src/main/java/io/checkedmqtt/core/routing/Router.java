package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.topic.SharedSubscription;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who gets a message, and what exactly they get: the broker-wide routing state as one immutable
 * value (the {@link SubscriptionIndex}, the {@link RetainedMessages} and the round-robin cursors of
 * the share groups). Sessions call it at two points: "publish to router" ({@link #route}) and
 * SUBSCRIBE / UNSUBSCRIBE ({@link #subscribe}, {@link #unsubscribe}); it answers with the next
 * Router and the messages to hand to sessions ("message routed to this session").
 *
 * <h2>Routing rules ({@link #route})</h2>
 * <ul>
 *   <li><b>One copy per client.</b> All subscriptions of one client that match a topic (its
 *       overlapping ordinary ones, and any share group that chose it) produce <em>one</em>
 *       delivery to it, with QoS = min(published QoS, the highest granted QoS among them)
 *       [3.1.1 MQTT-3.3.5-1; 5.0 MQTT-3.3.4-2, MQTT-3.8.4-8; 3.1.1 MQTT-3.8.4-6]. 3.1.1 requires
 *       that; 5.0 allows one copy or one per subscription, and this broker takes one copy for
 *       both versions, carrying every matching Subscription Identifier [5.0 MQTT-3.3.4-3,
 *       MQTT-3.3.4-4], in ascending order. So the subscriber's protocol version does not change
 *       the decision, and the router does not need to know it.</li>
 *   <li><b>No Local</b>: a subscription with No Local=1 is skipped for the publishing client
 *       [5.0 MQTT-3.8.3-3]; the client's other matching subscriptions still count.</li>
 *   <li><b>RETAIN</b>: 0 on every routed copy [3.1.1 MQTT-3.3.1-9; 5.0 MQTT-3.3.1-12], unless one
 *       of the client's matching subscriptions has Retain As Published, in which case the copy
 *       keeps the flag it was published with [5.0 MQTT-3.3.1-13].</li>
 *   <li><b>Properties</b> go out unchanged and in order [5.0 MQTT-3.3.2-4, -15, -16, -17, -18,
 *       -20], except the inbound Topic Alias and any Subscription Identifier (removed), and the
 *       subscription's own Subscription Identifiers (appended). DUP is 0 and packet id 0: the
 *       session decides those [MQTT-3.3.1-3].</li>
 *   <li><b>Shared subscriptions</b> {@code $share/g/f}: per message, one member of the group gets
 *       it [5.0 section 4.8.2], chosen round-robin: the members are ordered by client identifier,
 *       and the choice is the first <em>connected</em> member after the one chosen last time,
 *       wrapping around. If no member is connected, the same rule runs over all members and the
 *       chosen (offline) session queues the message as it would any other. Delivered QoS is
 *       min(published, that member's granted QoS) [MQTT-4.8.2-3].</li>
 *   <li><b>In-flight shared messages</b> are never taken back: a QoS 1/2 message that a member's
 *       session has accepted stays with that session; if the member reconnects, the session
 *       completes it [MQTT-4.8.2-4]; if the session ends, the message is dropped, not sent to
 *       another member [MQTT-4.8.2-5]; a PUBACK/PUBREC failure code drops it too [MQTT-4.8.2-6].
 *       All of that happens in the session; the router has nothing to do with it.</li>
 *   <li><b>Retained</b>: RETAIN=1 stores or (empty payload) deletes the topic's retained message
 *       when retain is available, and the message is routed normally as well
 *       [5.0 MQTT-3.3.1-5..8; 3.1.1 MQTT-3.3.1-5, -7, -10..12].</li>
 *   <li>Every client with a matching subscription gets a delivery, connected or not: its session
 *       decides whether to send, queue or drop (QoS 0 offline). An empty result means "no matching
 *       subscribers" (5.0 PUBACK/PUBREC 0x10).</li>
 * </ul>
 *
 * <h2>Subscribing ({@link #subscribe})</h2>
 * Checks the filter, grants min(requested, {@link RoutingConfig#maximumQos()}) [MQTT-3.8.4-7 5.0],
 * replaces an identical filter's subscription [MQTT-3.8.4-3], and returns the retained messages to
 * send now: with RETAIN=1 [3.1.1 MQTT-3.3.1-8], QoS min(retained, granted), this subscription's
 * identifier, only the unexpired ones; per Retain Handling 0 always [5.0 MQTT-3.3.1-9, -3.8.4-4],
 * 1 only if the subscription is new [5.0 MQTT-3.3.1-10], 2 never [5.0 MQTT-3.3.1-11]; never for
 * a shared subscription. Reason codes, checked in this order:
 * <ol>
 *   <li>a malformed filter ({@link TopicFilter#syntaxError}: empty, a misplaced wildcard, a 5.0
 *       {@code $share/} filter without its form): {@link ReasonCode#PROTOCOL_ERROR}. A Protocol
 *       Error, not a refusal: the broker closes the connection (5.0 with DISCONNECT 0x82)
 *       [v5 MQTT-4.13.1-1; v3.1.1 MQTT-4.8.0-1], so this code is <em>not</em> for the SUBACK;</li>
 *   <li>a well-formed filter the broker cannot take: 0x8F Topic Filter invalid, "correctly
 *       formed but not allowed" (3.1.1: 0x80 failure). Today that is only a 3.1.1 filter that
 *       starts with {@code $share/} without the Shared Subscription form ({@code $share//a}),
 *       which 3.1.1 allows as an ordinary filter;</li>
 *   <li>shared, not available: 0x9E (3.1.1: 0x80);</li>
 *   <li>shared with No Local=1: {@link ReasonCode#PROTOCOL_ERROR} [5.0 MQTT-3.8.3-4], again a
 *       close with DISCONNECT 0x82, not a SUBACK code;</li>
 *   <li>wildcard, not available: 0xA2 (3.1.1: 0x80);</li>
 *   <li>a Subscription Identifier when not available: 0xA1 (the spec has the session
 *       DISCONNECT with it);</li>
 *   <li>otherwise Granted QoS 0/1/2.</li>
 * </ol>
 * A failed filter leaves the router unchanged. Handle a multi-filter SUBSCRIBE by calling this
 * once per filter, in order [5.0 MQTT-3.8.4-5, MQTT-3.9.3-1].
 *
 * <h2>Unsubscribing ({@link #unsubscribe})</h2>
 * Removes the subscription whose filter equals the given one character for character
 * [MQTT-3.10.4-1]. 0x00 Success, 0x11 No subscription existed (the UNSUBACK is still sent
 * [MQTT-3.10.4-5]), and for a malformed filter {@link ReasonCode#PROTOCOL_ERROR}: the broker
 * closes the connection, as for SUBSCRIBE.
 */
public final class Router {

    private final RoutingConfig config;
    private final SubscriptionIndex index;
    private final RetainedMessages retained;
    /** Per shared filter ({@code $share/g/f}), the client identifier chosen last. */
    private final PersistentMap<String, String> shareCursors;

    private Router(RoutingConfig config, SubscriptionIndex index, RetainedMessages retained,
                   PersistentMap<String, String> shareCursors) {
        this.config = config;
        this.index = index;
        this.retained = retained;
        this.shareCursors = shareCursors;
    }

    /** No subscriptions, no retained messages, everything available. */
    public static Router empty() {
        return empty(RoutingConfig.defaults());
    }

    public static Router empty(RoutingConfig config) {
        return new Router(Objects.requireNonNull(config, "config"), SubscriptionIndex.empty(),
                RetainedMessages.empty(), PersistentMap.empty());
    }

    public RoutingConfig config() {
        return config;
    }

    public SubscriptionIndex index() {
        return index;
    }

    public RetainedMessages retained() {
        return retained;
    }

    /** The client chosen last for a shared filter {@code $share/g/f}, or null (for tests and tracing). */
    public String lastChosen(String sharedTopicFilter) {
        return shareCursors.get(sharedTopicFilter);
    }

    /** A copy with another retained store (restore after a restart, or {@link RetainedMessages#withoutExpired}). */
    public Router withRetained(RetainedMessages newRetained) {
        return new Router(config, index, Objects.requireNonNull(newRetained, "retained"), shareCursors);
    }

    /**
     * This router with one subscription put back as it was recorded: no checks, no retained
     * messages, as when a kept session is restored after a restart. The filter was checked and
     * its QoS granted when the client subscribed.
     */
    public Router withSubscription(String clientId, Subscription subscription, int subscriptionId) {
        return new Router(config, index.subscribe(clientId, subscription, subscriptionId).index(), retained,
                shareCursors);
    }

    // ---------------------------------------------------------------- subscribe / unsubscribe

    /**
     * The outcome of one filter of a SUBSCRIBE.
     *
     * @param router           the next router (this one when the filter failed)
     * @param reasonCode       for the SUBACK, except {@link ReasonCode#PROTOCOL_ERROR} (see class comment)
     * @param existedBefore    the client already had this exact filter (its options were replaced)
     * @param retainedMessages retained messages to send now, in topic-trie order, RETAIN=1
     */
    public record SubscribeOutcome(Router router, ReasonCode reasonCode, boolean existedBefore,
                                   List<Delivery> retainedMessages) {
        public SubscribeOutcome {
            retainedMessages = List.copyOf(retainedMessages);
        }

        /** True when the subscription is in place (a Granted QoS code). */
        public boolean accepted() {
            return !reasonCode.isError();
        }
    }

    /**
     * Handles one filter of a SUBSCRIBE from {@code clientId} (see the class comment).
     *
     * @param version        the subscriber's protocol version (it picks the failure code)
     * @param subscriptionId the 5.0 Subscription Identifier of the SUBSCRIBE, 0 when none
     * @param nowMillis      now, for the expiry of retained messages
     */
    public SubscribeOutcome subscribe(String clientId, ProtocolVersion version, Subscription subscription,
                                      int subscriptionId, long nowMillis) {
        String filter = subscription.topicFilter();
        SubscriptionOptions requested = subscription.options();
        ReasonCode refusal = refusal(version, filter, requested, subscriptionId);
        if (refusal != null) {
            return new SubscribeOutcome(this, refusal, false, List.of());
        }
        QoS granted = requested.maxQos().min(config.maximumQos());
        SubscriptionOptions options = new SubscriptionOptions(granted, requested.noLocal(),
                requested.retainAsPublished(), requested.retainHandling());
        SubscriptionIndex.SubscribeResult result =
                index.subscribe(clientId, new Subscription(filter, options), subscriptionId);
        Router next = new Router(config, result.index(), retained, shareCursors);

        boolean shared = SharedSubscription.isShared(filter);
        boolean sendRetained = !shared && config.retainAvailable() && switch (options.retainHandling()) {
            case SEND_ON_SUBSCRIBE -> true;
            case SEND_IF_NEW_SUBSCRIPTION -> !result.existedBefore();
            case DO_NOT_SEND -> false;
        };
        List<Delivery> toSend = sendRetained
                ? retainedFor(clientId, filter, granted, subscriptionId, nowMillis)
                : List.of();
        return new SubscribeOutcome(next, ReasonCode.granted(granted), result.existedBefore(), toSend);
    }

    private ReasonCode refusal(ProtocolVersion version, String filter, SubscriptionOptions options,
                               int subscriptionId) {
        ReasonCode failure = version.isV5() ? null : ReasonCode.UNSPECIFIED_ERROR; // 3.1.1 has only 0x80
        if (TopicFilter.syntaxError(filter, version) != null) {
            return ReasonCode.PROTOCOL_ERROR; // the session closes [v5 MQTT-4.13.1-1; v3.1.1 MQTT-4.8.0-1]
        }
        SharedSubscription shared = SharedSubscription.parse(filter);
        if (shared == null && SharedSubscription.isShared(filter)) {
            return failure != null ? failure : ReasonCode.TOPIC_FILTER_INVALID; // 3.1.1 "$share//a"
        }
        if (shared != null && !config.sharedSubscriptionsAvailable()) {
            return failure != null ? failure : ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        if (shared != null && options.noLocal()) {
            return ReasonCode.PROTOCOL_ERROR; // [MQTT-3.8.3-4]: the session disconnects
        }
        String plain = shared == null ? filter : shared.filter();
        if (config.maxTopicLevels() > 0 && TopicFilter.levelCount(plain) > config.maxTopicLevels()) {
            // well-formed, but deeper than this server takes: 5.0 SUBACK 0x8F Topic Filter invalid
            return failure != null ? failure : ReasonCode.TOPIC_FILTER_INVALID;
        }
        if (!config.wildcardSubscriptionsAvailable() && TopicFilter.hasWildcard(plain)) {
            return failure != null ? failure : ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        if (subscriptionId != 0 && !config.subscriptionIdentifiersAvailable()) {
            return ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED;
        }
        return null;
    }

    /** The unexpired retained messages a new subscription gets [3.1.1 MQTT-3.3.1-6, -8; 5.0 MQTT-3.3.1-9]. */
    private List<Delivery> retainedFor(String clientId, String filter, QoS granted, int subscriptionId,
                                       long nowMillis) {
        List<RetainedMessage> stored = retained.matching(filter);
        if (stored.isEmpty()) {
            return List.of();
        }
        List<Delivery> out = new ArrayList<>(stored.size());
        for (RetainedMessage m : stored) {
            Publish p = m.publish();
            if (MessageExpiry.isExpired(p, m.receivedAtMillis(), nowMillis)) {
                continue; // [MQTT-3.3.2-5]
            }
            var properties = subscriptionId == 0
                    ? p.properties()
                    : p.properties().with(new Property.IntegerProperty(
                            PropertyId.SUBSCRIPTION_IDENTIFIER, subscriptionId));
            Publish copy = new Publish(p.topic(), p.payload(), p.qos().min(granted), true, false, 0, properties);
            out.add(new Delivery(clientId, copy, m.receivedAtMillis()));
        }
        return out;
    }

    /**
     * The outcome of one filter of an UNSUBSCRIBE: the next router and the UNSUBACK reason code,
     * except {@link ReasonCode#PROTOCOL_ERROR} (a malformed filter: close, see the class comment).
     */
    public record UnsubscribeOutcome(Router router, ReasonCode reasonCode) {
    }

    /**
     * Handles one filter of an UNSUBSCRIBE (see the class comment).
     *
     * @param version the client's protocol version (it decides how {@code $share/} filters read)
     */
    public UnsubscribeOutcome unsubscribe(String clientId, ProtocolVersion version, String topicFilter) {
        if (TopicFilter.syntaxError(topicFilter, version) != null) {
            return new UnsubscribeOutcome(this, ReasonCode.PROTOCOL_ERROR); // the session closes
        }
        SubscriptionIndex.UnsubscribeResult result = index.unsubscribe(clientId, topicFilter);
        if (!result.existed()) {
            return new UnsubscribeOutcome(this, ReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        return new UnsubscribeOutcome(afterRemoval(result.index(), List.of(topicFilter)), ReasonCode.SUCCESS);
    }

    /** Removes the client's subscriptions to these filters, for a session that ends (no codes). */
    public Router removeClient(String clientId, Collection<String> topicFilters) {
        SubscriptionIndex newIndex = index.removeClient(clientId, topicFilters);
        return newIndex == index ? this : afterRemoval(newIndex, topicFilters);
    }

    /** Forgets the cursor of a share group that lost its last member. */
    private Router afterRemoval(SubscriptionIndex newIndex, Collection<String> removedFilters) {
        PersistentMap<String, String> cursors = shareCursors;
        for (String filter : removedFilters) {
            if (cursors.containsKey(filter) && !newIndex.hasSharedMembers(filter)) {
                cursors = cursors.remove(filter);
            }
        }
        return new Router(config, newIndex, retained, cursors);
    }

    // ---------------------------------------------------------------- route

    /** The next router (retained store and share cursors may have moved) and the deliveries, one per client. */
    public record RouteResult(Router router, List<Delivery> deliveries) {
        public RouteResult {
            deliveries = List.copyOf(deliveries);
        }
    }

    /**
     * Routes one application message (see the class comment).
     *
     * @param publish           the PUBLISH as received: topic resolved (no alias), valid
     * @param publisherClientId the client that published it, for No Local; null for none
     * @param nowMillis         when the server received it (kept for Message Expiry)
     * @param isConnected       whether a client has a live connection now (shared subscriptions
     *                          prefer connected members)
     */
    public RouteResult route(Publish publish, String publisherClientId, long nowMillis,
                             Predicate<String> isConnected) {
        return route(publish, publisherClientId, nowMillis, isConnected, true);
    }

    /**
     * {@link #route}, and with {@code storeRetained} false a RETAIN=1 message is routed as usual
     * but neither stored nor deleted: the retained store was full ({@link RetainedMessages#fits}).
     */
    public RouteResult route(Publish publish, String publisherClientId, long nowMillis,
                             Predicate<String> isConnected, boolean storeRetained) {
        Publish message = Fanout.normalise(publish);
        RetainedMessages newRetained = retained;
        if (publish.retain() && config.retainAvailable() && storeRetained) {
            newRetained = retained.retain(message, nowMillis);
        }
        List<Subscriber> matches = index.match(message.topic());
        if (matches.isEmpty() || Fanout.oneOrdinaryFilter(matches)) {
            Router next = newRetained == retained ? this : new Router(config, index, newRetained, shareCursors);
            return new RouteResult(next, matches.isEmpty() ? List.of()
                    : Fanout.oneCopyEach(message, matches, publisherClientId, nowMillis));
        }
        Map<String, List<Subscriber>> perClient = new LinkedHashMap<>();
        Map<String, List<Subscriber>> perShare = null;
        for (Subscriber s : matches) {
            if (s.isShared()) {
                if (perShare == null) {
                    perShare = new LinkedHashMap<>();
                }
                perShare.computeIfAbsent(s.topicFilter(), k -> new ArrayList<>()).add(s);
            } else if (!Fanout.skippedByNoLocal(s, publisherClientId)) {
                perClient.computeIfAbsent(s.clientId(), k -> new ArrayList<>(2)).add(s);
            }
        }
        PersistentMap<String, String> cursors = shareCursors;
        if (perShare != null) {
            for (Map.Entry<String, List<Subscriber>> group : perShare.entrySet()) {
                Subscriber chosen = Fanout.chooseMember(group.getValue(), cursors.get(group.getKey()), isConnected);
                cursors = cursors.put(group.getKey(), chosen.clientId());
                perClient.computeIfAbsent(chosen.clientId(), k -> new ArrayList<>(2)).add(chosen);
            }
        }

        List<Delivery> deliveries = new ArrayList<>(perClient.size());
        for (Map.Entry<String, List<Subscriber>> e : perClient.entrySet()) {
            deliveries.add(new Delivery(e.getKey(), Fanout.copyFor(message, e.getValue()), nowMillis));
        }
        Router next = newRetained == retained && cursors == shareCursors
                ? this
                : new Router(config, index, newRetained, cursors);
        return new RouteResult(next, deliveries);
    }
}
