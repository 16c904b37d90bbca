package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.SubscriptionOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * How {@link Router#route} fans one message out: the message as the router passes it on, the
 * member a share group picks, and the one copy each client gets. The rules are in
 * {@link Router}'s class comment; these are its steps.
 */
final class Fanout {

    private Fanout() {
    }

    /** DUP and packet id cleared, inbound Topic Alias and Subscription Identifiers removed. */
    static Publish normalise(Publish publish) {
        var properties = publish.properties();
        if (properties.contains(PropertyId.TOPIC_ALIAS)) {
            properties = properties.without(PropertyId.TOPIC_ALIAS);
        }
        if (properties.contains(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
            properties = properties.without(PropertyId.SUBSCRIPTION_IDENTIFIER);
        }
        if (!publish.dup() && publish.packetId() == 0 && properties == publish.properties()) {
            return publish;
        }
        return new Publish(publish.topic(), publish.payload(), publish.qos(), publish.retain(), false, 0, properties);
    }

    /**
     * Round-robin: order members by client identifier; take the first connected one after
     * {@code last}, wrapping; if none is connected, the same over all members.
     */
    static Subscriber chooseMember(List<Subscriber> members, String last, Predicate<String> isConnected) {
        List<Subscriber> ordered = new ArrayList<>(members);
        ordered.sort(Comparator.comparing(Subscriber::clientId));
        List<Subscriber> candidates = new ArrayList<>(ordered.size());
        for (Subscriber s : ordered) {
            if (isConnected.test(s.clientId())) {
                candidates.add(s);
            }
        }
        if (candidates.isEmpty()) {
            candidates = ordered;
        }
        if (last != null) {
            for (Subscriber s : candidates) {
                if (s.clientId().compareTo(last) > 0) {
                    return s;
                }
            }
        }
        return candidates.get(0);
    }

    /**
     * The one copy a client gets for all its matching subscriptions: the highest granted QoS
     * [MQTT-3.3.5-1 3.1.1, MQTT-3.3.4-2 5.0], RETAIN kept only if one of them has Retain As
     * Published [MQTT-3.3.1-12, MQTT-3.3.1-13 5.0], and every Subscription Identifier, ascending
     * [MQTT-3.3.4-3, MQTT-3.3.4-4 5.0]. When that is the message itself, it is the same object.
     */
    static Publish copyFor(Publish message, List<Subscriber> subscriptions) {
        QoS maxGranted = QoS.AT_MOST_ONCE;
        boolean retainAsPublished = false;
        int[] ids = null;
        int idCount = 0;
        for (Subscriber s : subscriptions) {
            SubscriptionOptions o = s.options();
            if (o.maxQos().ordinal() > maxGranted.ordinal()) {
                maxGranted = o.maxQos();
            }
            retainAsPublished |= o.retainAsPublished();
            if (s.subscriptionId() != 0) {
                if (ids == null) {
                    ids = new int[subscriptions.size()];
                }
                ids[idCount++] = s.subscriptionId();
            }
        }
        var properties = message.properties();
        if (ids != null) {
            Arrays.sort(ids, 0, idCount);
            for (int i = 0; i < idCount; i++) {
                if (i == 0 || ids[i] != ids[i - 1]) {
                    properties = properties.with(new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, ids[i]));
                }
            }
        }
        return copyWith(message, message.qos().min(maxGranted), message.retain() && retainAsPublished, properties);
    }

    /** {@link #copyFor} for a client with one matching subscription. */
    static Publish copyFor(Publish message, Subscriber subscription) {
        SubscriptionOptions o = subscription.options();
        var properties = subscription.subscriptionId() == 0 ? message.properties()
                : message.properties().with(new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER,
                        subscription.subscriptionId()));
        return copyWith(message, message.qos().min(o.maxQos()), message.retain() && o.retainAsPublished(), properties);
    }

    private static Publish copyWith(Publish message, QoS qos, boolean retain, Properties properties) {
        if (qos == message.qos() && retain == message.retain() && properties == message.properties()) {
            // the message as it is: every such subscriber's copy is then one object, and a copy queued
            // for an offline session costs only its queue cell
            return message;
        }
        return new Publish(message.topic(), message.payload(), qos, retain, false, 0, properties);
    }

    /**
     * True when every match is an ordinary subscription to one and the same filter, as when a
     * fleet subscribes to one topic: they are the entries of one node of the index, which are
     * keyed by client, so no client is among them twice and nothing needs merging.
     */
    static boolean oneOrdinaryFilter(List<Subscriber> matches) {
        String filter = matches.get(0).topicFilter();
        for (Subscriber s : matches) {
            if (s.isShared() || !s.topicFilter().equals(filter)) {
                return false;
            }
        }
        return true;
    }

    /** One delivery per match, in the order of the matches: the general path's result, without its merging. */
    static List<Delivery> oneCopyEach(Publish message, List<Subscriber> matches, String publisherClientId,
                                       long nowMillis) {
        List<Delivery> deliveries = new ArrayList<>(matches.size());
        for (Subscriber s : matches) {
            if (!skippedByNoLocal(s, publisherClientId)) {
                deliveries.add(new Delivery(s.clientId(), copyFor(message, s), nowMillis));
            }
        }
        return deliveries;
    }

    /** No Local: a subscription with No Local=1 does not get what its own client published [MQTT-3.8.3-3]. */
    static boolean skippedByNoLocal(Subscriber s, String publisherClientId) {
        return s.options().noLocal() && s.clientId().equals(publisherClientId);
    }
}
