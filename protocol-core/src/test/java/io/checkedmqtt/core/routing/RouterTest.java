package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubscriptionOptions.RetainHandling;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static io.checkedmqtt.core.routing.Fixtures.V311;
import static io.checkedmqtt.core.routing.Fixtures.V5;
import static io.checkedmqtt.core.routing.Fixtures.publish;
import static io.checkedmqtt.core.routing.Fixtures.retained;
import static io.checkedmqtt.core.routing.Fixtures.sub;
import static io.checkedmqtt.core.routing.Fixtures.subscriptionIds;
import static io.checkedmqtt.core.routing.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {

    private static final Predicate<String> ALL_CONNECTED = c -> true;

    private static Router subscribed(Router router, String client, io.checkedmqtt.core.packet.Subscription s, int id) {
        Router.SubscribeOutcome o = router.subscribe(client, V5, s, id, 0);
        assertTrue(o.accepted(), () -> "refused: " + o.reasonCode());
        return o.router();
    }

    private static List<Delivery> route(Router router, Publish p) {
        return router.route(p, "publisher", 0, ALL_CONNECTED).deliveries();
    }

    private static Delivery only(List<Delivery> deliveries) {
        assertEquals(1, deliveries.size(), () -> "deliveries: " + deliveries);
        return deliveries.get(0);
    }

    @Nested
    class QoSAndOverlap {

        @ParameterizedTest(name = "published {0}, granted {1} -> {2}")
        @CsvSource({"0,0,0", "0,1,0", "0,2,0", "1,0,0", "1,1,1", "1,2,1", "2,0,0", "2,1,1", "2,2,2"})
        @DisplayName("v3.1.1 [MQTT-3.8.4-6] and v5 [MQTT-3.8.4-8] delivered QoS is min(published, granted) for all nine pairs")
        void minQos(int published, int granted, int delivered) {
            Router r = subscribed(Router.empty(), "s", sub("t", QoS.of(granted)), 0);
            Delivery d = only(route(r, publish("t", "x", QoS.of(published))));
            assertEquals(QoS.of(delivered), d.publish().qos());
        }

        @Test
        @DisplayName("v3.1.1 [MQTT-3.3.5-1] overlapping subscriptions: one copy at the highest granted QoS")
        void overlapOneCopyV311() {
            Router r = Router.empty();
            for (var s : List.of(sub("a/+", QoS.AT_MOST_ONCE), sub("a/#", QoS.EXACTLY_ONCE), sub("#", QoS.AT_LEAST_ONCE))) {
                r = r.subscribe("s", V311, s, 0, 0).router();
            }
            Delivery d = only(route(r, publish("a/b", "x", QoS.EXACTLY_ONCE)));
            assertEquals("s", d.clientId());
            assertEquals(QoS.EXACTLY_ONCE, d.publish().qos());
        }

        @Test
        @DisplayName("v3.1.1 + v5 [MQTT-3.3.5-1] [MQTT-3.8.3-3] a fleet on one filter: one copy per client, in the index's order,"
                + " each at min(published, granted), the No Local publisher skipped")
        void fleetOnOneFilter() {
            Router r = Router.empty();
            for (int i = 0; i < 1000; i++) {
                r = subscribed(r, "c" + i, sub("fleet/t", QoS.of(i % 3), i == 7, false, RetainHandling.SEND_ON_SUBSCRIBE), 0);
            }
            Publish message = publish("fleet/t", "x", QoS.AT_LEAST_ONCE);
            List<Delivery> ds = r.route(message, "c7", 0, ALL_CONNECTED).deliveries();
            List<String> expectedOrder = new java.util.ArrayList<>();
            for (Subscriber s : r.index().match("fleet/t")) {
                if (!s.clientId().equals("c7")) {
                    expectedOrder.add(s.clientId());
                }
            }
            assertEquals(expectedOrder, ds.stream().map(Delivery::clientId).toList());
            Publish unchanged = null;
            for (Delivery d : ds) {
                int i = Integer.parseInt(d.clientId().substring(1));
                assertEquals(QoS.of(Math.min(1, i % 3)), d.publish().qos(), d.clientId());
                assertEquals(0, d.publish().packetId());
                if (i % 3 != 0) {
                    unchanged = unchanged == null ? d.publish() : unchanged;
                    assertSame(unchanged, d.publish(), "every copy at the published QoS is one object");
                }
            }
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.4-2] [MQTT-3.3.4-3] [MQTT-3.3.4-4] overlapping subscriptions: one copy, highest QoS, every Subscription Identifier")
        void overlapOneCopyV5() {
            Router r = subscribed(Router.empty(), "s", sub("a/+", QoS.AT_MOST_ONCE), 7);
            r = subscribed(r, "s", sub("a/#", QoS.AT_LEAST_ONCE), 3);
            r = subscribed(r, "s", sub("#", QoS.AT_MOST_ONCE), 0); // no identifier on this one
            r = subscribed(r, "s", sub("b/#", QoS.EXACTLY_ONCE), 9); // does not match
            Delivery d = only(route(r, publish("a/b", "x", QoS.EXACTLY_ONCE)));
            assertEquals(QoS.AT_LEAST_ONCE, d.publish().qos());
            assertEquals(List.of(3L, 7L), subscriptionIds(d.publish()));
        }

        @Test
        @DisplayName("v3.1.1 + v5 [MQTT-3.3.2-3] every matching client gets the message on the published topic; others do not")
        void eachMatchingClientOnce() {
            Router r = subscribed(Router.empty(), "a", sub("x/+", QoS.AT_MOST_ONCE), 0);
            r = subscribed(r, "b", sub("x/y", QoS.AT_MOST_ONCE), 0);
            r = subscribed(r, "c", sub("z", QoS.AT_MOST_ONCE), 0);
            List<Delivery> ds = route(r, publish("x/y", "m", QoS.AT_MOST_ONCE));
            assertEquals(Set.of("a", "b"), Set.of(ds.get(0).clientId(), ds.get(1).clientId()));
            assertEquals(2, ds.size());
            for (Delivery d : ds) {
                assertEquals("x/y", d.publish().topic());
                assertEquals("m", text(d.publish()));
            }
        }

        @Test
        @DisplayName("no matching subscriber: empty deliveries (5.0 PUBACK 0x10 No matching subscribers)")
        void noMatch() {
            Router r = subscribed(Router.empty(), "a", sub("x", QoS.AT_MOST_ONCE), 0);
            Router.RouteResult result = r.route(publish("y", "m", QoS.AT_LEAST_ONCE), "p", 0, ALL_CONNECTED);
            assertTrue(result.deliveries().isEmpty());
            assertSame(r, result.router());
        }

        @Test
        @DisplayName("v3.1.1 + v5 [MQTT-3.3.1-3] deliveries carry DUP=0 and no packet id; the session assigns them")
        void dupAndPacketIdCleared() {
            Router r = subscribed(Router.empty(), "s", sub("t", QoS.EXACTLY_ONCE), 0);
            Publish in = publish("t", "x", QoS.EXACTLY_ONCE).asDuplicate();
            Delivery d = only(route(r, in));
            assertFalse(d.publish().dup());
            assertEquals(0, d.publish().packetId());
        }
    }

    @Nested
    class SubscriptionOptions {

        @Test
        @DisplayName("v5 [MQTT-3.8.3-3] No Local: the publisher does not get its own message back")
        void noLocal() {
            Router r = subscribed(Router.empty(), "me", sub("t", QoS.AT_LEAST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE), 0);
            r = subscribed(r, "other", sub("t", QoS.AT_LEAST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE), 0);
            List<Delivery> ds = r.route(publish("t", "x", QoS.AT_LEAST_ONCE), "me", 0, ALL_CONNECTED).deliveries();
            assertEquals("other", only(ds).clientId());
        }

        @Test
        @DisplayName("v5 [MQTT-3.8.3-3] No Local skips only that subscription: the publisher's other matching subscription still delivers")
        void noLocalPerSubscription() {
            Router r = subscribed(Router.empty(), "me", sub("t/+", QoS.EXACTLY_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE), 1);
            r = subscribed(r, "me", sub("t/#", QoS.AT_MOST_ONCE), 2);
            Delivery d = only(r.route(publish("t/a", "x", QoS.EXACTLY_ONCE), "me", 0, ALL_CONNECTED).deliveries());
            assertEquals(QoS.AT_MOST_ONCE, d.publish().qos());
            assertEquals(List.of(2L), subscriptionIds(d.publish()));
        }

        @Test
        @DisplayName("v3.1.1 [MQTT-3.3.1-9] and v5 [MQTT-3.3.1-12] routed copies go out with RETAIN=0")
        void retainCleared() {
            Router r = subscribed(Router.empty(), "s", sub("t", QoS.AT_MOST_ONCE), 0);
            assertFalse(only(route(r, retained("t", "x", QoS.AT_MOST_ONCE))).publish().retain());
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.1-13] Retain As Published keeps the RETAIN flag of the received PUBLISH")
        void retainAsPublished() {
            Router r = subscribed(Router.empty(), "s", sub("t", QoS.AT_MOST_ONCE, false, true, RetainHandling.SEND_ON_SUBSCRIBE), 0);
            assertTrue(only(route(r, retained("t", "x", QoS.AT_MOST_ONCE))).publish().retain());
            assertFalse(only(route(r, publish("t", "x", QoS.AT_MOST_ONCE))).publish().retain());
        }

        @Test
        @DisplayName("v5 [MQTT-3.8.4-7] granted QoS is capped by the server's maximum QoS")
        void grantedCapped() {
            Router r = Router.empty(new RoutingConfig(QoS.AT_LEAST_ONCE, true, true, true, true));
            Router.SubscribeOutcome o = r.subscribe("s", V5, sub("t", QoS.EXACTLY_ONCE), 0, 0);
            assertEquals(ReasonCode.GRANTED_QOS_1, o.reasonCode());
            assertEquals(QoS.AT_LEAST_ONCE, only(route(o.router(), publish("t", "x", QoS.EXACTLY_ONCE))).publish().qos());
        }

        @Test
        @DisplayName("v5 [MQTT-3.2.2-10] below Maximum QoS 2, SUBSCRIBE asking QoS 0, 1 or 2 is still accepted, at most at the maximum")
        void reducedMaximumQosStillAccepts() {
            for (QoS maximum : List.of(QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE)) {
                Router r = Router.empty(new RoutingConfig(maximum, true, true, true, true));
                for (QoS asked : QoS.values()) {
                    Router.SubscribeOutcome o = r.subscribe("s", V5, sub("t/" + asked.value(), asked), 0, 0);
                    assertTrue(o.accepted(), maximum + " / " + asked);
                    assertEquals(ReasonCode.granted(asked.min(maximum)), o.reasonCode());
                    assertFalse(o.router().index().match("t/" + asked.value()).isEmpty(), "subscribed");
                    r = o.router();
                }
            }
        }

        @Test
        @DisplayName("v5 [MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error (the session disconnects)")
        void noLocalOnShared() {
            Router.SubscribeOutcome o = Router.empty().subscribe("s", V5,
                    sub("$share/g/t", QoS.AT_MOST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE), 0, 0);
            assertEquals(ReasonCode.PROTOCOL_ERROR, o.reasonCode());
            assertFalse(o.accepted());
            assertTrue(o.router().index().isEmpty());
        }

        @Test
        @DisplayName("v5 [MQTT-4.13.1-1] [MQTT-4.7.1-1] v3.1.1 [MQTT-4.8.0-1] [MQTT-4.7.1-2] a malformed filter is a Protocol Error (close), not a SUBACK code, and is not subscribed")
        void malformedFilter() {
            for (String filter : List.of("a/#/b", "a+", "")) {
                Router.SubscribeOutcome v5 = Router.empty().subscribe("s", V5, sub(filter, QoS.AT_MOST_ONCE), 0, 0);
                assertEquals(ReasonCode.PROTOCOL_ERROR, v5.reasonCode(), filter);
                Router.SubscribeOutcome v3 = Router.empty().subscribe("s", V311, sub(filter, QoS.AT_MOST_ONCE), 0, 0);
                assertEquals(ReasonCode.PROTOCOL_ERROR, v3.reasonCode(), filter);
                assertTrue(v3.router().index().isEmpty());
                assertTrue(v5.router().index().isEmpty());
            }
        }

        @Test
        @DisplayName("v5 [MQTT-4.8.2-1] v3.1.1 [MQTT-3.9.3-2] $share//a: a Protocol Error from a 5.0 client, a well-formed filter the broker refuses with 0x80 from a 3.1.1 one")
        void shareFormPerVersion() {
            Router.SubscribeOutcome v5 = Router.empty().subscribe("s", V5, sub("$share//a", QoS.AT_MOST_ONCE), 0, 0);
            assertEquals(ReasonCode.PROTOCOL_ERROR, v5.reasonCode());
            Router.SubscribeOutcome v3 = Router.empty().subscribe("s", V311, sub("$share//a", QoS.AT_MOST_ONCE), 0, 0);
            assertEquals(0x80, v3.reasonCode().value());
            assertTrue(v3.router().index().isEmpty());
            assertEquals(ReasonCode.NO_SUBSCRIPTION_EXISTED, Router.empty().unsubscribe("s", V311, "$share//a").reasonCode());
            assertEquals(ReasonCode.PROTOCOL_ERROR, Router.empty().unsubscribe("s", V5, "$share//a").reasonCode());
        }

        @Test
        @DisplayName("v5 features switched off: 0xA2 wildcards, 0x9E shared, 0xA1 subscription identifiers; v3.1.1 [MQTT-3.8.3-2] wildcard refusal is 0x80")
        void featuresOff() {
            Router r = Router.empty(new RoutingConfig(QoS.EXACTLY_ONCE, true, false, false, false));
            assertEquals(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, r.subscribe("s", V5, sub("a/+", QoS.AT_MOST_ONCE), 0, 0).reasonCode());
            assertEquals(ReasonCode.UNSPECIFIED_ERROR, r.subscribe("s", V311, sub("a/#", QoS.AT_MOST_ONCE), 0, 0).reasonCode());
            assertEquals(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, r.subscribe("s", V5, sub("$share/g/a", QoS.AT_MOST_ONCE), 0, 0).reasonCode());
            assertEquals(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, r.subscribe("s", V5, sub("a", QoS.AT_MOST_ONCE), 5, 0).reasonCode());
            assertEquals(ReasonCode.GRANTED_QOS_0, r.subscribe("s", V5, sub("a", QoS.AT_MOST_ONCE), 0, 0).reasonCode());
        }

        @Test
        @DisplayName("v3.1.1 + v5 [MQTT-3.10.4-5] UNSUBSCRIBE answers 0x00 for a removed filter and 0x11 for an unknown one")
        void unsubscribeCodes() {
            Router r = subscribed(Router.empty(), "s", sub("a/+", QoS.AT_MOST_ONCE), 0);
            Router.UnsubscribeOutcome unknown = r.unsubscribe("s", V5, "a/b");
            assertEquals(ReasonCode.NO_SUBSCRIPTION_EXISTED, unknown.reasonCode());
            assertSame(r, unknown.router());
            Router.UnsubscribeOutcome removed = r.unsubscribe("s", V5, "a/+");
            assertEquals(ReasonCode.SUCCESS, removed.reasonCode());
            assertTrue(route(removed.router(), publish("a/b", "x", QoS.AT_MOST_ONCE)).isEmpty());
            Router.UnsubscribeOutcome malformed = r.unsubscribe("s", V311, "a/#/");
            assertEquals(ReasonCode.PROTOCOL_ERROR, malformed.reasonCode(), "a close, not an UNSUBACK code");
            assertSame(r, malformed.router());
        }

        @Test
        @DisplayName("v3.1.1 + v5 [MQTT-3.10.4-2] after UNSUBSCRIBE no new messages are routed for that filter; the other filter still delivers")
        void afterUnsubscribe() {
            Router r = subscribed(Router.empty(), "s", sub("a/+", QoS.EXACTLY_ONCE), 1);
            r = subscribed(r, "s", sub("a/b", QoS.AT_MOST_ONCE), 2);
            r = r.unsubscribe("s", V5, "a/+").router();
            Delivery d = only(route(r, publish("a/b", "x", QoS.EXACTLY_ONCE)));
            assertEquals(QoS.AT_MOST_ONCE, d.publish().qos());
            assertEquals(List.of(2L), subscriptionIds(d.publish()));
        }
    }

    @Nested
    class Retained {

        private Router withRetained(String... topics) {
            Router r = Router.empty();
            for (String t : topics) {
                r = r.route(retained(t, "r:" + t, QoS.EXACTLY_ONCE), "p", 0, ALL_CONNECTED).router();
            }
            return r;
        }

        @Test
        @DisplayName("v3.1.1 [MQTT-3.3.1-6] [MQTT-3.3.1-8] and v5 [MQTT-3.3.1-9] a new subscription gets each matching retained message with RETAIN=1")
        void sentOnSubscribe() {
            Router r = withRetained("a/b", "a/c", "x/y", "a");
            Router.SubscribeOutcome o = r.subscribe("s", V311, sub("a/#", QoS.AT_LEAST_ONCE), 0, 0);
            List<String> topics = new ArrayList<>();
            for (Delivery d : o.retainedMessages()) {
                assertTrue(d.publish().retain());
                assertEquals("s", d.clientId());
                assertEquals(QoS.AT_LEAST_ONCE, d.publish().qos(), "QoS capped by the subscription");
                topics.add(d.publish().topic());
            }
            topics.sort(null);
            assertEquals(List.of("a", "a/b", "a/c"), topics);
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.1-9] [MQTT-3.8.4-4] Retain Handling 0: retained messages are sent again when the subscription is replaced")
        void retainHandling0() {
            Router r = withRetained("t");
            var s = sub("t", QoS.AT_MOST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
            Router.SubscribeOutcome first = r.subscribe("s", V5, s, 0, 0);
            Router.SubscribeOutcome again = first.router().subscribe("s", V5, s, 0, 0);
            assertEquals(1, first.retainedMessages().size());
            assertEquals(1, again.retainedMessages().size());
            assertTrue(again.existedBefore());
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.1-10] Retain Handling 1: retained messages only if the subscription did not exist")
        void retainHandling1() {
            Router r = withRetained("t");
            var s = sub("t", QoS.AT_MOST_ONCE, false, false, RetainHandling.SEND_IF_NEW_SUBSCRIPTION);
            Router.SubscribeOutcome first = r.subscribe("s", V5, s, 0, 0);
            Router.SubscribeOutcome again = first.router().subscribe("s", V5, s, 0, 0);
            assertEquals(1, first.retainedMessages().size());
            assertEquals(0, again.retainedMessages().size());
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.1-11] Retain Handling 2: no retained messages at subscribe time")
        void retainHandling2() {
            Router r = withRetained("t");
            var s = sub("t", QoS.AT_MOST_ONCE, false, false, RetainHandling.DO_NOT_SEND);
            assertTrue(r.subscribe("s", V5, s, 0, 0).retainedMessages().isEmpty());
        }

        @Test
        @DisplayName("v5 section 4.8.2: no retained messages are sent for a shared subscription")
        void noneForShared() {
            Router r = withRetained("t");
            assertTrue(r.subscribe("s", V5, sub("$share/g/t", QoS.AT_MOST_ONCE), 0, 0).retainedMessages().isEmpty());
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.4-3] a retained message sent on subscribe carries that subscription's identifier")
        void retainedCarriesSubscriptionId() {
            Router r = withRetained("t");
            Delivery d = r.subscribe("s", V5, sub("t", QoS.EXACTLY_ONCE), 42, 0).retainedMessages().get(0);
            assertEquals(List.of(42L), subscriptionIds(d.publish()));
            assertEquals(QoS.EXACTLY_ONCE, d.publish().qos());
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.1-6] and v3.1.1 [MQTT-3.3.1-10] an empty retained payload is routed normally and clears the retained message")
        void emptyPayloadRoutedAndClears() {
            Router r = withRetained("t");
            r = subscribed(r, "s", sub("t", QoS.AT_MOST_ONCE), 0);
            Router.RouteResult result = r.route(retained("t", "", QoS.AT_MOST_ONCE), "p", 0, ALL_CONNECTED);
            assertEquals(0, only(result.deliveries()).publish().payload().length);
            assertNull(result.router().retained().get("t"));
            assertTrue(result.router().subscribe("n", V5, sub("t", QoS.AT_MOST_ONCE), 0, 0).retainedMessages().isEmpty());
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.1-8] and v3.1.1 [MQTT-3.3.1-12] RETAIN=0 neither stores nor removes the retained message")
        void nonRetainedLeavesStore() {
            Router r = withRetained("t");
            Router after = r.route(publish("t", "", QoS.AT_MOST_ONCE), "p", 0, ALL_CONNECTED).router();
            assertEquals("r:t", text(after.retained().get("t").publish()));
            Router after2 = r.route(publish("u", "x", QoS.AT_MOST_ONCE), "p", 0, ALL_CONNECTED).router();
            assertNull(after2.retained().get("u"));
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.2-5] [MQTT-3.3.2-6] an expired retained message is not sent; a live one carries the remaining interval")
        void retainedExpiry() {
            Publish p = retained("t", "x", QoS.AT_MOST_ONCE).withProperties(Properties.of(
                    new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60)));
            Router r = Router.empty().route(p, "p", 1_000, ALL_CONNECTED).router();
            List<Delivery> live = r.subscribe("s", V5, sub("t", QoS.AT_MOST_ONCE), 0, 31_000).retainedMessages();
            Publish sent = MessageExpiry.forDelivery(live.get(0).publish(), live.get(0).receivedAtMillis(), 31_000);
            assertEquals(30, MessageExpiry.intervalSeconds(sent));
            assertTrue(r.subscribe("s", V5, sub("t", QoS.AT_MOST_ONCE), 0, 61_001).retainedMessages().isEmpty());
        }

        @Test
        @DisplayName("retain not available: RETAIN=1 messages are routed but not stored")
        void retainUnavailable() {
            Router r = Router.empty(new RoutingConfig(QoS.EXACTLY_ONCE, false, true, true, true));
            assertTrue(r.route(retained("t", "x", QoS.AT_MOST_ONCE), "p", 0, ALL_CONNECTED).router().retained().isEmpty());
        }
    }

    @Nested
    class Shared {

        private Router group(String filter, String... members) {
            Router r = Router.empty();
            for (String m : members) {
                r = subscribed(r, m, sub(filter, QoS.EXACTLY_ONCE), 0);
            }
            return r;
        }

        private List<String> receivers(Router r, int messages, Predicate<String> connected) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                Router.RouteResult result = r.route(publish("t/x", "m" + i, QoS.AT_LEAST_ONCE), "p", i, connected);
                out.add(only(result.deliveries()).clientId());
                r = result.router();
            }
            return out;
        }

        @Test
        @DisplayName("v5 section 4.8.2: each message goes to one member, round-robin in client-identifier order")
        void roundRobin() {
            Router r = group("$share/g/t/+", "c", "a", "b");
            assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), receivers(r, 7, ALL_CONNECTED));
        }

        @Test
        @DisplayName("v5 section 4.8.2: disconnected members are skipped while another member is connected")
        void skipsDisconnected() {
            Router r = group("$share/g/t/+", "a", "b", "c");
            assertEquals(List.of("a", "c", "a", "c"), receivers(r, 4, c -> !c.equals("b")));
        }

        @Test
        @DisplayName("v5 section 4.8.2: with no member connected, round-robin over all members (their sessions queue it)")
        void noneConnected() {
            Router r = group("$share/g/t/+", "a", "b");
            assertEquals(List.of("a", "b", "a"), receivers(r, 3, c -> false));
        }

        @Test
        @DisplayName("v5 [MQTT-4.8.2-3] a shared delivery uses the chosen member's granted QoS")
        void memberQos() {
            Router r = subscribed(Router.empty(), "a", sub("$share/g/t", QoS.AT_MOST_ONCE), 0);
            r = subscribed(r, "b", sub("$share/g/t", QoS.EXACTLY_ONCE), 0);
            Router.RouteResult first = r.route(publish("t", "1", QoS.EXACTLY_ONCE), "p", 0, ALL_CONNECTED);
            Router.RouteResult second = first.router().route(publish("t", "2", QoS.EXACTLY_ONCE), "p", 0, ALL_CONNECTED);
            assertEquals(QoS.AT_MOST_ONCE, only(first.deliveries()).publish().qos());
            assertEquals(QoS.EXACTLY_ONCE, only(second.deliveries()).publish().qos());
        }

        @Test
        @DisplayName("v5 section 4.8.2: two groups and an ordinary subscriber each get the message")
        void groupsAreIndependent() {
            Router r = subscribed(Router.empty(), "a", sub("$share/g1/t", QoS.AT_MOST_ONCE), 0);
            r = subscribed(r, "b", sub("$share/g2/t", QoS.AT_MOST_ONCE), 0);
            r = subscribed(r, "c", sub("t", QoS.AT_MOST_ONCE), 0);
            List<Delivery> ds = route(r, publish("t", "x", QoS.AT_MOST_ONCE));
            List<String> clients = new ArrayList<>();
            ds.forEach(d -> clients.add(d.clientId()));
            clients.sort(null);
            assertEquals(List.of("a", "b", "c"), clients);
        }

        @Test
        @DisplayName("a member chosen by its group that also has an ordinary subscription gets one copy")
        void mergedWithOwnSubscription() {
            Router r = subscribed(Router.empty(), "a", sub("$share/g/t", QoS.EXACTLY_ONCE), 4);
            r = subscribed(r, "a", sub("t", QoS.AT_MOST_ONCE), 5);
            Delivery d = only(route(r, publish("t", "x", QoS.EXACTLY_ONCE)));
            assertEquals(QoS.EXACTLY_ONCE, d.publish().qos());
            assertEquals(List.of(4L, 5L), subscriptionIds(d.publish()));
        }

        @Test
        @DisplayName("v3.1.1 clients may use $share/ too (as EMQX and HiveMQ allow)")
        void fromV311() {
            Router.SubscribeOutcome o = Router.empty().subscribe("a", V311, sub("$share/g/t", QoS.AT_LEAST_ONCE), 0, 0);
            assertEquals(ReasonCode.GRANTED_QOS_1, o.reasonCode());
            assertEquals("a", only(route(o.router(), publish("t", "x", QoS.AT_LEAST_ONCE))).clientId());
        }

        @Test
        @DisplayName("the cursor of a group is forgotten when its last member leaves")
        void cursorForgotten() {
            Router r = group("$share/g/t", "a");
            r = r.route(publish("t", "x", QoS.AT_MOST_ONCE), "p", 0, ALL_CONNECTED).router();
            assertEquals("a", r.lastChosen("$share/g/t"));
            r = r.removeClient("a", List.of("$share/g/t"));
            assertNull(r.lastChosen("$share/g/t"));
        }
    }

    @Nested
    class Properties5 {

        @Test
        @DisplayName("v5 [MQTT-3.3.2-4] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20] properties pass unchanged and in order")
        void propertiesUnchanged() {
            byte[] correlation = {1, 2, 3};
            Properties in = Properties.of(
                    new Property.UserProperty("k", "2"),
                    new Property.IntegerProperty(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1),
                    new Property.StringProperty(PropertyId.CONTENT_TYPE, "text/plain"),
                    new Property.UserProperty("k", "1"),
                    new Property.StringProperty(PropertyId.RESPONSE_TOPIC, "reply/here"),
                    new Property.BinaryProperty(PropertyId.CORRELATION_DATA, correlation),
                    new Property.UserProperty("a", "3"),
                    new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 100));
            Router r = subscribed(Router.empty(), "s", sub("t", QoS.AT_MOST_ONCE), 0);
            Publish out = only(route(r, publish("t", "x", QoS.AT_MOST_ONCE).withProperties(in))).publish();
            assertEquals(in, out.properties());
            assertArrayEquals(correlation, out.properties().binary(PropertyId.CORRELATION_DATA));
            assertEquals(List.of(new Property.UserProperty("k", "2"), new Property.UserProperty("k", "1"),
                    new Property.UserProperty("a", "3")), out.properties().userProperties());
        }

        @Test
        @DisplayName("v5 [MQTT-3.3.2-7] the inbound Topic Alias is not passed on; a client's Subscription Identifier is dropped")
        void aliasAndForeignIdsRemoved() {
            Properties in = Properties.of(new Property.IntegerProperty(PropertyId.TOPIC_ALIAS, 3),
                    new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, 99),
                    new Property.UserProperty("u", "v"));
            Router r = subscribed(Router.empty(), "s", sub("t", QoS.AT_MOST_ONCE), 5);
            Publish out = only(route(r, publish("t", "x", QoS.AT_MOST_ONCE).withProperties(in))).publish();
            assertFalse(out.properties().contains(PropertyId.TOPIC_ALIAS));
            assertEquals(List.of(5L), subscriptionIds(out));
            assertEquals("v", out.properties().userProperties().get(0).value());
            assertEquals("x", new String(out.payload(), StandardCharsets.UTF_8));
        }
    }
}
