package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.expiring;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.publishes;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QoS 0/1/2 handshakes in both directions, packet identifiers, DUP, flow control. */
class QosFlowTest {

    private final BrokerHarness h = new BrokerHarness();

    private ConnectionId client(ProtocolVersion v, String id, boolean clean) {
        ConnectionId c = h.open();
        h.in(c, connect(v, id, clean));
        h.out(c);
        return c;
    }

    private ConnectionId subscriber(ProtocolVersion v, String id, QoS qos) {
        ConnectionId c = client(v, id, false);
        h.in(c, subscribe(1, "t", qos));
        h.out(c);
        return c;
    }

    // ---- the server as receiver ----

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.3.4-1] v5 [MQTT-3.3.4-1] QoS 0 PUBLISH gets no answer; QoS 1 PUBACK; QoS 2 PUBREC")
    void responsePerQos(ProtocolVersion v) {
        ConnectionId c = client(v, "p" + v, true);
        h.in(c, publish("x", "0", QoS.AT_MOST_ONCE, 0));
        assertTrue(h.out(c).isEmpty());
        // no subscribers: 5.0 says so with 0x10, which 3.1.1 cannot express
        ReasonCode ok = v.isV5() ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
        h.in(c, publish("x", "1", QoS.AT_LEAST_ONCE, 7));
        assertEquals(List.of(new PubAck(7, ok, Properties.EMPTY)), h.out(c));
        h.in(c, publish("x", "2", QoS.EXACTLY_ONCE, 8));
        assertEquals(List.of(new PubRec(8, ok, Properties.EMPTY)), h.out(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.3.4-1] v5 [MQTT-3.3.4-1] route first, then acknowledge once: a publisher subscribed to its own topic gets a QoS 0 copy before its PUBACK / PUBREC, a QoS 1/2 copy after it")
    void routeThenAcknowledgeOnce(ProtocolVersion v) {
        for (QoS q : List.of(QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE)) {
            for (QoS granted : List.of(QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE)) {
                ConnectionId c = client(v, "self" + v + q + granted, true);
                h.in(c, subscribe(1, "own/" + q + granted, granted));
                h.out(c);
                h.in(c, publish("own/" + q + granted, "x", q, 7));
                Packet ack = q == QoS.AT_LEAST_ONCE ? new PubAck(7) : new PubRec(7);
                List<Packet> out = h.out(c);
                assertEquals(2, out.size(), out::toString);
                int copyAt = granted == QoS.AT_MOST_ONCE ? 0 : 1;
                assertEquals("x", Packets.text(assertInstanceOf(Publish.class, out.get(copyAt))));
                assertEquals(ack, out.get(1 - copyAt), "one acknowledgement, with 0x00: somebody subscribed");
            }
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.2-2] v5 [MQTT-4.3.2-4] [MQTT-4.3.2-5] QoS 1 receiver: PUBACK with the id; the same id again is a new message")
    void qos1Receiver() {
        ConnectionId sub = subscriber(V5, "s", QoS.AT_LEAST_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "a", QoS.AT_LEAST_ONCE, 5));
        assertEquals(List.of(new PubAck(5)), h.out(pub));
        h.in(pub, publish("t", "b", QoS.AT_LEAST_ONCE, 5));
        assertEquals(List.of(new PubAck(5)), h.out(pub));
        assertEquals(List.of("a", "b"), publishes(h.out(sub)).stream().map(Packets::text).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-4.3.3-2] v5 [MQTT-4.3.3-8] [MQTT-4.3.3-10] QoS 2 receiver: PUBREC, and a repeated PUBLISH is acknowledged but never handed on twice")
    void qos2ReceiverMethodB(ProtocolVersion v) {
        ConnectionId sub = subscriber(v, "s" + v, QoS.EXACTLY_ONCE);
        ConnectionId pub = client(v, "p" + v, true);
        Publish first = publish("t", "once", QoS.EXACTLY_ONCE, 9);
        h.in(pub, first);
        assertEquals(List.of(new PubRec(9)), h.out(pub));
        h.in(pub, first.asDuplicate());
        assertEquals(List.of(new PubRec(9)), h.out(pub));
        assertEquals(1, publishes(h.out(sub)).size());
        h.in(sub, new PubRec(1), new PubComp(1));
        h.lose(sub);
        h.lose(pub);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.2-6] v5 [MQTT-3.1.2-4] a clean start forgets the QoS 2 ids awaiting PUBREL: the same id is then a new message, routed again, not a repeat")
    void cleanStartForgetsInboundQos2Ids(ProtocolVersion v) {
        ConnectionId sub = subscriber(v, "s" + v, QoS.AT_MOST_ONCE);
        ConnectionId pub = h.open();
        h.in(pub, Packets.kept(v, "p" + v));
        h.out(pub);
        h.in(pub, publish("t", "before", QoS.EXACTLY_ONCE, 9));
        assertEquals(List.of(new PubRec(9)), h.out(pub));
        h.lose(pub);   // no PUBREL: id 9 waits in the kept session

        ConnectionId again = client(v, "p" + v, true);
        h.in(again, publish("t", "after", QoS.EXACTLY_ONCE, 9));
        assertEquals(List.of(new PubRec(9)), h.out(again));
        assertEquals(List.of("before", "after"), publishes(h.out(sub)).stream().map(Packets::text).toList(),
                "the message after the clean start reaches the subscriber");
    }

    @Test
    @DisplayName("v5 [MQTT-4.3.3-11] [MQTT-4.3.3-12] PUBREL is answered with PUBCOMP; afterwards the id is a new message")
    void pubRelThenNewMessage() {
        ConnectionId sub = subscriber(V5, "s", QoS.AT_MOST_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "a", QoS.EXACTLY_ONCE, 3));
        h.out(pub);
        h.in(pub, new PubRel(3));
        assertEquals(List.of(new PubComp(3)), h.out(pub));
        h.in(pub, publish("t", "b", QoS.EXACTLY_ONCE, 3));
        assertEquals(List.of(new PubRec(3)), h.out(pub));
        assertEquals(List.of("a", "b"), publishes(h.out(sub)).stream().map(Packets::text).toList());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.3-2] PUBREL for an unknown id still gets PUBCOMP (Success in 3.1.1)")
    void pubRelUnknownV3() {
        ConnectionId c = client(V3, "p", true);
        h.in(c, new PubRel(44));
        assertEquals(List.of(new PubComp(44)), h.out(c));
    }

    @Test
    @DisplayName("v5 [MQTT-3.7.2-1] PUBREL for an unknown id gets PUBCOMP 0x92 Packet Identifier not found")
    void pubRelUnknownV5() {
        ConnectionId c = client(V5, "p", true);
        h.in(c, new PubRel(44));
        assertEquals(List.of(new PubComp(44, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY)), h.out(c));
    }

    @Test
    @DisplayName("v5 section 3.4.2.1 / 3.5.2.1: PUBACK / PUBREC 0x10 No matching subscribers when nobody subscribed; 0x00 once someone did; never for 3.1.1")
    void noMatchingSubscribers() {
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "1", QoS.AT_LEAST_ONCE, 1), publish("t", "2", QoS.EXACTLY_ONCE, 2));
        assertEquals(List.of(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY),
                new PubRec(2, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY)), h.out(pub));
        ConnectionId sub = subscriber(V3, "s", QoS.AT_LEAST_ONCE);
        h.in(pub, publish("t", "3", QoS.AT_LEAST_ONCE, 3), publish("t", "4", QoS.EXACTLY_ONCE, 4));
        assertEquals(List.of(new PubAck(3), new PubRec(4)), h.out(pub));
        assertEquals(2, publishes(h.out(sub)).size());
        // a kept offline subscriber still matches: the message is queued for it
        h.lose(sub);
        h.in(pub, publish("t", "5", QoS.AT_LEAST_ONCE, 5));
        assertEquals(List.of(new PubAck(5)), h.out(pub));
        ConnectionId v3 = client(V3, "p3", true);
        h.in(v3, publish("none", "x", QoS.AT_LEAST_ONCE, 6));
        assertEquals(List.of(new PubAck(6)), h.out(v3));
    }

    @Test
    @DisplayName("v5 a client exceeding the server's Receive Maximum gets DISCONNECT 0x93")
    void receiveMaximumExceeded() {
        BrokerHarness small = new BrokerHarness(BrokerConfig.builder().receiveMaximum(2).build());
        ConnectionId c = small.open();
        small.in(c, connect(V5, "p", true));
        assertEquals(2, ((io.checkedmqtt.core.packet.Connack) small.out(c).get(0)).properties()
                .integer(PropertyId.RECEIVE_MAXIMUM, -1));
        small.in(c, publish("t", "1", QoS.EXACTLY_ONCE, 1), publish("t", "2", QoS.EXACTLY_ONCE, 2));
        small.in(c, publish("t", "2", QoS.EXACTLY_ONCE, 2).asDuplicate()); // a duplicate is no new message
        PubRec none1 = new PubRec(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY);
        PubRec none2 = new PubRec(2, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY);
        assertEquals(List.of(none1, none2, new PubRec(2)), small.out(c), "a duplicate is not routed again");
        small.in(c, publish("t", "3", QoS.AT_LEAST_ONCE, 3));
        assertEquals(List.of(new Disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED)), small.out(c));
        assertEquals(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, small.closeReason(c));
    }

    @Test
    @DisplayName("v5 section 4.9: the client's quota starts afresh on a new connection, so QoS 2 flows it began before do not count against Receive Maximum; new ones beyond it get DISCONNECT 0x93")
    void receiveMaximumCountsThisConnectionOnly() {
        BrokerHarness small = new BrokerHarness(BrokerConfig.builder().receiveMaximum(2).build());
        ConnectionId c = small.open();
        small.in(c, Packets.connect5("p", false, 600));
        small.in(c, publish("t", "1", QoS.EXACTLY_ONCE, 1), publish("t", "2", QoS.EXACTLY_ONCE, 2));
        small.lose(c);
        ConnectionId again = small.open();
        small.in(again, Packets.connect5("p", false, 600));
        small.in(again, publish("t", "3", QoS.EXACTLY_ONCE, 3), publish("t", "4", QoS.EXACTLY_ONCE, 4));
        small.in(again, new PubRel(1));
        assertFalse(small.isClosed(again), "two new flows on this connection: within Receive Maximum 2");
        small.in(again, publish("t", "5", QoS.EXACTLY_ONCE, 5));
        assertEquals(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, small.closeReason(again), "a third one is too many");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-12] [MQTT-3.3.2-7] topic aliases 1..maximum are accepted; they do not carry over to a new connection")
    void inboundTopicAliases() {
        ConnectionId sub = subscriber(V5, "s", QoS.AT_MOST_ONCE);
        ConnectionId pub = client(V5, "p", false);
        Properties alias10 = Properties.of(new Property.IntegerProperty(PropertyId.TOPIC_ALIAS, 10));
        h.in(pub, new Publish("t", Packets.bytes("a"), QoS.AT_MOST_ONCE, false, false, 0, alias10));
        h.in(pub, new Publish("", Packets.bytes("b"), QoS.AT_MOST_ONCE, false, false, 0, alias10));
        List<Publish> got = publishes(h.out(sub));
        assertEquals(List.of("t", "t"), got.stream().map(Publish::topic).toList());
        assertFalse(got.get(1).properties().contains(PropertyId.TOPIC_ALIAS));
        h.lose(pub);
        ConnectionId again = client(V5, "p", false);
        h.in(again, new Publish("", Packets.bytes("c"), QoS.AT_MOST_ONCE, false, false, 0, alias10));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(again));
    }

    @Test
    @DisplayName("v5 a Topic Alias above the maximum gets DISCONNECT 0x94")
    void topicAliasTooLarge() {
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, new Publish("t", Packets.bytes("a"), QoS.AT_MOST_ONCE, false, false, 0,
                Properties.of(new Property.IntegerProperty(PropertyId.TOPIC_ALIAS, 11))));
        assertEquals(List.of(new Disconnect(ReasonCode.TOPIC_ALIAS_INVALID)), h.out(pub));
    }

    // ---- the server as sender ----

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-4.3.1-1] [MQTT-3.3.1-2] [MQTT-2.3.1-5] v5 [MQTT-4.3.1-1] [MQTT-2.2.1-2] QoS 0 goes out with DUP 0 and no packet id")
    void qos0Sender(ProtocolVersion v) {
        ConnectionId sub = subscriber(v, "s" + v, QoS.EXACTLY_ONCE);
        ConnectionId pub = client(v, "p" + v, true);
        h.in(pub, publish("t", "x", QoS.AT_MOST_ONCE, 0));
        Publish got = publishes(h.out(sub)).get(0);
        assertEquals(QoS.AT_MOST_ONCE, got.qos());
        assertFalse(got.dup());
        assertEquals(0, got.packetId());
        h.lose(sub);
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.2-1] [MQTT-2.3.1-4] [MQTT-2.3.1-6] v5 [MQTT-4.3.2-1] [MQTT-4.3.2-2] [MQTT-4.3.2-3] QoS 1 sender: new id, DUP 0, unacknowledged until PUBACK")
    void qos1Sender() {
        ConnectionId sub = subscriber(V5, "s", QoS.AT_LEAST_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "a", QoS.AT_LEAST_ONCE, 1), publish("t", "b", QoS.AT_LEAST_ONCE, 2));
        List<Publish> got = publishes(h.out(sub));
        assertEquals(2, got.size());
        assertFalse(got.get(0).dup());
        assertTrue(got.get(0).packetId() != got.get(1).packetId());
        assertEquals(2, h.state().session("s").inflight().size());
        h.in(sub, new PubAck(got.get(0).packetId()));
        assertEquals(1, h.state().session("s").inflight().size());
        h.in(sub, new PubAck(got.get(0).packetId())); // a stale PUBACK changes nothing
        assertEquals(1, h.state().session("s").inflight().size());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.3-1] v5 [MQTT-4.3.3-1..6] QoS 2 sender: PUBLISH until PUBREC, then PUBREL with the same id until PUBCOMP")
    void qos2Sender() {
        ConnectionId sub = subscriber(V5, "s", QoS.EXACTLY_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "a", QoS.EXACTLY_ONCE, 1));
        Publish got = publishes(h.out(sub)).get(0);
        assertEquals(QoS.EXACTLY_ONCE, got.qos());
        int id = got.packetId();
        h.in(sub, new PubRec(id));
        assertEquals(List.of(new PubRel(id)), h.out(sub));
        h.in(sub, new PubRec(id)); // repeated PUBREC: PUBREL again, never the PUBLISH
        assertEquals(List.of(new PubRel(id)), h.out(sub));
        h.in(sub, new PubComp(id));
        assertTrue(h.state().session("s").inflight().isEmpty());
        // after PUBREL, a reconnect resends PUBREL, not the PUBLISH
    }

    @Test
    @DisplayName("v5 [MQTT-4.4.0-2] [MQTT-4.8.2-6] a PUBREC with a failure code ends the flow: no PUBREL, no retransmission")
    void pubRecFailure() {
        ConnectionId sub = subscriber(V5, "s", QoS.EXACTLY_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "a", QoS.EXACTLY_ONCE, 1));
        int id = publishes(h.out(sub)).get(0).packetId();
        h.in(sub, new PubRec(id, ReasonCode.UNSPECIFIED_ERROR, Properties.EMPTY));
        assertTrue(h.out(sub).isEmpty());
        assertTrue(h.state().session("s").inflight().isEmpty());
        h.lose(sub);
        ConnectionId again = client(V5, "s", false);
        assertTrue(publishes(h.out(again)).isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.8.4-6] v5 [MQTT-3.8.4-8] delivered QoS is min(published, granted): all nine combinations")
    void minQos() {
        int n = 0;
        for (QoS sent : QoS.values()) {
            for (QoS granted : QoS.values()) {
                ConnectionId sub = subscriber(V5, "s" + n, granted);
                ConnectionId pub = client(V5, "p" + n, true);
                h.in(pub, publish("t", "x", sent, sent == QoS.AT_MOST_ONCE ? 0 : 1));
                List<Publish> got = publishes(h.out(sub));
                assertEquals(sent.min(granted), got.get(0).qos(), sent + " x " + granted);
                h.lose(sub);
                h.lose(pub);
                n++;
            }
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.1-3] v5 [MQTT-3.3.1-3] outbound DUP reflects only our own retransmission, never the inbound flag")
    void dupNotCopied() {
        ConnectionId sub = subscriber(V3, "s", QoS.AT_LEAST_ONCE);
        ConnectionId pub = client(V3, "p", true);
        h.in(pub, publish("t", "a", QoS.AT_LEAST_ONCE, 1).asDuplicate());
        assertFalse(publishes(h.out(sub)).get(0).dup());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.4-9] [MQTT-4.9.0-2] [MQTT-3.3.4-10] never more unacknowledged PUBLISH than the client's Receive Maximum; other packets still flow")
    void clientReceiveMaximum() {
        ConnectionId sub = h.open();
        h.in(sub, Packets.withProperty(connect(V5, "s", true), PropertyId.RECEIVE_MAXIMUM, 2),
                subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = client(V5, "p", true);
        for (int i = 1; i <= 5; i++) {
            h.in(pub, publish("t", "m" + i, QoS.AT_LEAST_ONCE, i));
        }
        List<Publish> first = publishes(h.out(sub));
        assertEquals(List.of("m1", "m2"), first.stream().map(Packets::text).toList());
        h.in(sub, io.checkedmqtt.core.packet.PingReq.INSTANCE);
        assertEquals(List.of(io.checkedmqtt.core.packet.PingResp.INSTANCE), h.out(sub));
        h.in(sub, new PubAck(first.get(0).packetId()));
        assertEquals(List.of("m3"), publishes(h.out(sub)).stream().map(Packets::text).toList());
        h.in(sub, new PubAck(first.get(1).packetId()));
        assertEquals(List.of("m4"), publishes(h.out(sub)).stream().map(Packets::text).toList());
    }

    @Test
    @DisplayName("v3.1.1 the configured in-flight limit holds messages back until PUBACK frees a slot, in order")
    void inflightLimitV3() {
        BrokerHarness one = new BrokerHarness(BrokerConfig.builder().maxInflightMessages(1).build());
        ConnectionId sub = one.open();
        one.in(sub, connect(V3, "s", true), subscribe(1, "t", QoS.EXACTLY_ONCE));
        one.out(sub);
        ConnectionId pub = one.open();
        one.in(pub, connect(V3, "p", true));
        one.in(pub, publish("t", "a", QoS.EXACTLY_ONCE, 1), publish("t", "b", QoS.AT_LEAST_ONCE, 2));
        List<Publish> got = publishes(one.out(sub));
        assertEquals(List.of("a"), got.stream().map(Packets::text).toList());
        one.in(sub, new PubRec(got.get(0).packetId()));
        assertEquals(List.of(new PubRel(got.get(0).packetId())), one.out(sub), "QoS 2 holds its slot until PUBCOMP");
        one.in(sub, new PubComp(got.get(0).packetId()));
        assertEquals(List.of("b"), publishes(one.out(sub)).stream().map(Packets::text).toList());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25] a PUBLISH larger than the client's Maximum Packet Size is dropped as if delivered")
    void maximumPacketSize() {
        ConnectionId sub = h.open();
        h.in(sub, Packets.withProperty(connect(V5, "s", false), PropertyId.MAXIMUM_PACKET_SIZE, 30),
                subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "x".repeat(100), QoS.AT_LEAST_ONCE, 1), publish("t", "small", QoS.AT_LEAST_ONCE, 2));
        List<Publish> got = publishes(h.out(sub));
        assertEquals(List.of("small"), got.stream().map(Packets::text).toList());
        assertEquals(1, h.state().session("s").inflight().size());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25] an in-flight PUBLISH larger than the Maximum Packet Size the client"
            + " reconnects with is not resent: it counts as delivered and frees its identifier")
    void maximumPacketSizeOnResend() {
        ConnectionId first = h.open();
        h.in(first, Packets.connect5("s", false, 1000), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(first);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "x".repeat(100), QoS.AT_LEAST_ONCE, 1), publish("t", "small", QoS.AT_LEAST_ONCE, 2));
        assertEquals(2, publishes(h.out(first)).size(), "both sent while the client set no maximum");
        h.lose(first);
        ConnectionId back = h.open();
        h.in(back, Packets.withProperty(Packets.connect5("s", false, 1000), PropertyId.MAXIMUM_PACKET_SIZE, 30));
        List<Publish> resent = publishes(h.out(back));
        assertEquals(List.of("small"), resent.stream().map(Packets::text).toList());
        assertTrue(resent.get(0).dup(), "the small one is a resend [MQTT-3.3.1-1]");
        assertEquals(1, h.state().session("s").inflight().size(), "the large one left the window as if delivered");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] [MQTT-3.3.2-6] a queued message is dropped once expired, else sent with the time left")
    void messageExpiry() {
        ConnectionId kept = h.open();
        h.in(kept, Packets.connect5("k", false, 1000), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(kept);
        h.lose(kept);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, new Publish("t", Packets.bytes("short"), QoS.AT_LEAST_ONCE, false, false, 1,
                Properties.of(new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 5))));
        h.in(pub, new Publish("t", Packets.bytes("long"), QoS.AT_LEAST_ONCE, false, false, 2,
                Properties.of(new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60))));
        h.advance(10_000);
        ConnectionId back = h.open();
        h.in(back, Packets.connect5("k", false, 1000));
        List<Publish> got = publishes(h.out(back));
        assertEquals(List.of("long"), got.stream().map(Packets::text).toList());
        assertEquals(50, got.get(0).properties().integer(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1));
    }

    @Test
    @DisplayName("v5 a PUBREC for an id not in flight is answered with PUBREL 0x92")
    void pubRecUnknown() {
        ConnectionId c = client(V5, "s", true);
        h.in(c, new PubRec(77));
        Packet p = h.out(c).get(0);
        assertEquals(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, assertInstanceOf(PubRel.class, p).reasonCode());
    }

    // ---- QoS 2 sender step by step, message expiry during a QoS 2 flow, send quota ----

    private ConnectionId keptSubscriber(String id, QoS qos) {
        ConnectionId c = h.open();
        h.in(c, Packets.connect5(id, false, 600), subscribe(1, "t", qos));
        h.out(c);
        return c;
    }

    private ConnectionId reconnect(String id) {
        ConnectionId c = h.open();
        h.in(c, Packets.connect5(id, false, 600));
        return c;
    }

    @Test
    @DisplayName("v5 [MQTT-4.3.3-1] [MQTT-4.3.3-2] [MQTT-4.3.3-3] [MQTT-4.3.3-4] [MQTT-4.3.3-5] QoS 2 sender: new ids, QoS 2 DUP 0, PUBLISH kept until PUBREC, PUBREL until PUBCOMP")
    void qos2SenderStepByStep() {
        ConnectionId sub = keptSubscriber("s", QoS.EXACTLY_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "a", QoS.EXACTLY_ONCE, 1), publish("t", "b", QoS.EXACTLY_ONCE, 2),
                publish("t", "c", QoS.EXACTLY_ONCE, 3));
        List<Publish> sent = publishes(h.out(sub));
        assertEquals(3, sent.size());
        Set<Integer> ids = new HashSet<>();
        for (Publish p : sent) {
            assertEquals(QoS.EXACTLY_ONCE, p.qos());
            assertFalse(p.dup());
            assertTrue(p.packetId() > 0 && ids.add(p.packetId()), "an unused identifier for each message");
        }
        int a = sent.get(0).packetId();
        int b = sent.get(1).packetId();
        int c = sent.get(2).packetId();

        // no PUBREC yet: every PUBLISH is still unacknowledged and goes again on reconnect
        h.lose(sub);
        sub = reconnect("s");
        List<Publish> again = publishes(h.out(sub));
        assertEquals(List.of(a, b, c), again.stream().map(Publish::packetId).toList());
        assertTrue(again.stream().allMatch(Publish::dup));

        // PUBREC (success, or another code below 0x80) is answered by PUBREL with the same id
        h.in(sub, new PubRec(a), new PubRec(b, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY));
        assertEquals(List.of(new PubRel(a), new PubRel(b)), h.out(sub));

        // the PUBRELs stay unacknowledged until PUBCOMP: a reconnect sends them, not the PUBLISH
        h.lose(sub);
        sub = reconnect("s");
        List<Packet> resent = h.out(sub);
        assertEquals(List.of(new PubRel(a), new PubRel(b)), resent.stream().filter(PubRel.class::isInstance).toList());
        assertEquals(List.of(c), publishes(resent).stream().map(Publish::packetId).toList());
        h.in(sub, new PubComp(a));
        h.lose(sub);
        sub = reconnect("s");
        resent = h.out(sub);
        assertEquals(List.of(new PubRel(b)), resent.stream().filter(PubRel.class::isInstance).toList(),
                "after PUBCOMP only the other PUBREL is pending");
        h.in(sub, new PubComp(b), new PubRec(c), new PubComp(c));
        assertTrue(h.state().session("s").inflight().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-4.3.3-7] message expiry is not applied to a QoS 2 PUBLISH already sent; a queued one does expire")
    void expiryNotAppliedOnceSent() {
        ConnectionId sub = keptSubscriber("s", QoS.EXACTLY_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, expiring("sent", QoS.EXACTLY_ONCE, 1, 2));
        Publish first = publishes(h.out(sub)).get(0);
        h.lose(sub);
        h.in(pub, expiring("queued", QoS.EXACTLY_ONCE, 2, 2));
        h.advance(10_000);
        sub = reconnect("s");
        List<Publish> got = publishes(h.out(sub));
        assertEquals(List.of("sent"), got.stream().map(Packets::text).toList(), "the queued one expired, the sent one goes again");
        assertEquals(first.packetId(), got.get(0).packetId());
        assertTrue(got.get(0).dup());
        h.in(sub, new PubRec(first.packetId()));
        assertEquals(List.of(new PubRel(first.packetId())), h.out(sub));
        h.in(sub, new PubComp(first.packetId()));
        assertTrue(h.state().session("s").inflight().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-4.3.3-13] as QoS 2 receiver the server completes the handshake of a message that has since expired")
    void receiverCompletesExpiredHandshake() {
        ConnectionId sub = subscriber(V5, "s", QoS.AT_MOST_ONCE);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, expiring("x", QoS.EXACTLY_ONCE, 9, 1));
        assertEquals(List.of(new PubRec(9)), h.out(pub));
        assertEquals(1, publishes(h.out(sub)).size());
        h.advance(5_000); // long past its Message Expiry Interval
        h.in(pub, new PubRel(9));
        assertEquals(List.of(new PubComp(9)), h.out(pub));
        assertFalse(h.isClosed(pub));
        h.in(pub, expiring("y", QoS.EXACTLY_ONCE, 9, 1));
        assertEquals(List.of(new PubRec(9)), h.out(pub));
        assertEquals(List.of("y"), publishes(h.out(sub)).stream().map(Packets::text).toList(), "the id is free again");
    }

    @Test
    @DisplayName("v5 [MQTT-4.9.0-1] the initial send quota is above zero and at most the client's Receive Maximum")
    void initialSendQuota() {
        for (int receiveMaximum : new int[] {1, 3, 20, 65_535}) {
            String topic = "quota/" + receiveMaximum;
            ConnectionId sub = h.open();
            h.in(sub, Packets.withProperty(connect(V5, "s" + receiveMaximum, true), PropertyId.RECEIVE_MAXIMUM,
                    receiveMaximum), subscribe(1, topic, QoS.AT_LEAST_ONCE));
            h.out(sub);
            ConnectionId pub = client(V5, "p" + receiveMaximum, true);
            for (int i = 1; i <= 30; i++) {
                h.in(pub, publish(topic, "m" + i, QoS.AT_LEAST_ONCE, i));
            }
            int quota = publishes(h.out(sub)).size();
            assertTrue(quota > 0, "quota " + quota);
            assertTrue(quota <= receiveMaximum, receiveMaximum + ": quota " + quota);
            assertEquals(Math.min(30, Math.min(receiveMaximum, h.core().config().maxInflightMessages())), quota);
        }
    }

    @Test
    @DisplayName("v5 [MQTT-4.9.0-3] with the send quota at zero the server still processes and answers every other packet")
    void otherPacketsAtZeroQuota() {
        ConnectionId sub = h.open();
        h.in(sub, Packets.withProperty(connect(V5, "s", true), PropertyId.RECEIVE_MAXIMUM, 1),
                subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = client(V5, "p", true);
        h.in(pub, publish("t", "m1", QoS.AT_LEAST_ONCE, 1), publish("t", "m2", QoS.AT_LEAST_ONCE, 2));
        assertEquals(1, publishes(h.out(sub)).size(), "quota used up");
        h.in(sub, subscribe(2, "u", QoS.AT_MOST_ONCE), Packets.unsubscribe(3, "u"),
                publish("v", "x", QoS.AT_LEAST_ONCE, 4), publish("v", "y", QoS.EXACTLY_ONCE, 5), new PubRel(5),
                io.checkedmqtt.core.packet.PingReq.INSTANCE);
        List<Packet> answers = h.out(sub);
        assertEquals(List.of(io.checkedmqtt.core.packet.SubAck.class, io.checkedmqtt.core.packet.UnsubAck.class,
                PubAck.class, PubRec.class, PubComp.class, io.checkedmqtt.core.packet.PingResp.class),
                answers.stream().map(Object::getClass).toList());
        assertEquals(1, h.state().session("s").inflight().size(), "still no quota for m2");
    }
}
