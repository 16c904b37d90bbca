package io.checkedmqtt.core.broker;

import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each breach the watch reports, made by a client that breaks exactly one statement, in both
 * versions; and a client that does everything right, through cuts and resends, gets an empty
 * report. Faults are told to the core as the shell tells them ({@link WireFault}).
 */
class WatchBreachTest {

    private static final String DEV = "dev-1";

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-2.3.1-2] v5 [MQTT-2.2.1-3] a new QoS 2 PUBLISH under an identifier awaiting PUBREL, and a new QoS 1 PUBLISH under one whose PUBACK was dropped")
    void identifierReusedInFlight(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.connected(v, DEV);
        f.h.in(c, f.publish("t", "first", 2, 5, false), f.publish("t", "second", 2, 5, false));
        f.h.in(c, f.publish("t", "one", 1, 9, false));
        f.h.fault(c, new WireFault.Withheld(new PubAck(9), true, "drop PUBACK out dev-* count 1", null));
        f.h.in(c, f.publish("t", "two", 1, 9, false));
        String id = v.isV5() ? "MQTT-2.2.1-3" : "MQTT-2.3.1-2";
        assertEquals(List.of(f.cite(id), f.cite(id)), f.breaches(DEV));
        Note.Breach first = f.report(DEV).breachList().get(0);
        assertEquals(List.of("PUBLISH id=5 qos=2 dup=0 retain=0 topic=\"t\" payload=5 \"first\"",
                "PUBLISH id=5 qos=2 dup=0 retain=0 topic=\"t\" payload=6 \"second\""), first.packets());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 v5 [MQTT-3.3.1-1] the same QoS 2 message again with DUP 0; v5 [MQTT-4.4.0-1] also: again on the same connection")
    void resentWithoutDup(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.connected(v, DEV);
        f.h.in(c, f.publish("t", "m", 2, 5, false), f.publish("t", "m", 2, 5, false));
        assertEquals(v.isV5() ? List.of(f.cite("MQTT-3.3.1-1"), f.cite("MQTT-4.4.0-1"))
                : List.of(f.cite("MQTT-3.3.1-1")), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 resends inside a connection are allowed; v5 [MQTT-4.4.0-1] a DUP resend on the same connection is a breach")
    void resentInsideConnection(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.connected(v, DEV);
        f.h.in(c, f.publish("t", "m", 2, 5, false), f.publish("t", "m", 2, 5, true), new PubRel(5));
        assertEquals(v.isV5() ? List.of(f.cite("MQTT-4.4.0-1")) : List.of(), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-2.3.1-3] v5 [MQTT-4.4.0-1] after the session resumes, the message is sent again under a new identifier")
    void resentWithNewId(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, f.publish("t", "m", 2, 5, false));
        f.h.fault(c, new WireFault.Withheld(new PubRec(5), true, "drop PUBREC out dev-*", null));
        f.h.lose(c);
        ConnectionId again = f.connectKept(DEV);
        f.h.in(again, f.publish("t", "m", 2, 6, true));
        assertEquals(List.of(f.cite(v.isV5() ? "MQTT-4.4.0-1" : "MQTT-2.3.1-3")), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 v5 [MQTT-4.4.0-1] the session resumed, but the QoS 2 flow in flight is neither PUBLISHed again nor PUBRELeased within the window")
    void notResentOnReconnect(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, f.publish("t", "m", 2, 5, false));
        f.h.lose(c);
        ConnectionId again = f.connectKept(DEV);
        assertTrue(f.h.timers().containsKey(new Timer.Watch(DEV)), "the watch asks for its deadline");
        f.h.advance(WatchFixture.WINDOW - 1);
        assertEquals(List.of(), f.breaches(DEV));
        f.h.advance(1);
        assertEquals(List.of(f.cite("MQTT-4.4.0-1")), f.breaches(DEV));
        assertEquals("PUBLISH id=5 qos=2 dup=0 retain=0 topic=\"t\" payload=1 \"m\" was not sent again within 2000 ms"
                + " of the session resuming", f.report(DEV).breachList().get(0).detail());
        assertTrue(!f.h.isClosed(again), "the connection stays open");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-2.3.1-6] v5 [MQTT-2.2.1-5] PUBREL for an identifier no QoS 2 PUBLISH had; v3.1.1 [MQTT-4.3.3-1] v5 [MQTT-4.3.3-3] PUBREL before the PUBREC reached the client")
    void pubRelWithoutPubRec(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.connected(v, DEV);
        f.h.in(c, new PubRel(9));
        f.h.in(c, f.publish("t", "m", 2, 5, false));
        f.h.fault(c, new WireFault.Withheld(new PubRec(5), true, "drop PUBREC out dev-*", null));
        f.h.in(c, new PubRel(5));
        assertEquals(List.of(f.cite(v.isV5() ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6"),
                f.cite(v.isV5() ? "MQTT-4.3.3-3" : "MQTT-4.3.3-1")), f.breaches(DEV));
        assertTrue(!f.h.isClosed(c), "the connection stays open: the spec does not ask for a close");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("as receiver: v3.1.1 [MQTT-2.3.1-6] v5 [MQTT-2.2.1-5] PUBACK for nothing; v3.1.1 [MQTT-4.3.3-2] v5 [MQTT-4.3.3-8] PUBACK for QoS 2; v3.1.1 [MQTT-4.3.2-2] v5 [MQTT-4.3.2-4] PUBREC for QoS 1; v3.1.1 [MQTT-4.3.3-2] v5 [MQTT-4.3.3-11] PUBCOMP before PUBREL")
    void wrongAcknowledgements(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.connected(v, DEV);
        f.h.in(c, Packets.subscribe(1, "one", QoS.AT_LEAST_ONCE, "two", QoS.EXACTLY_ONCE));
        ConnectionId p = f.h.connected(v, "publisher");
        f.h.in(p, f.publish("one", "a", 1, 1, false), f.publish("two", "b", 2, 2, false));
        f.h.out(c);
        f.h.in(c, new PubAck(77), new PubAck(2), new PubRec(1), new PubComp(2));
        assertEquals(List.of(f.cite(v.isV5() ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6"),
                f.cite(v.isV5() ? "MQTT-4.3.3-8" : "MQTT-4.3.3-2"),
                f.cite(v.isV5() ? "MQTT-4.3.2-4" : "MQTT-4.3.2-2"),
                f.cite(v.isV5() ? "MQTT-4.3.3-11" : "MQTT-4.3.3-2")), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-2.3.1-6] v5 [MQTT-2.2.1-5] a PUBACK for a PUBLISH a fault kept from the client")
    void acknowledgesWhatItNeverGot(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.connected(v, DEV);
        f.h.in(c, Packets.subscribe(1, "one", QoS.AT_LEAST_ONCE));
        ConnectionId p = f.h.connected(v, "publisher");
        f.h.in(p, f.publish("one", "a", 1, 1, false));
        Publish sent = (Publish) f.h.out(c).get(1);
        f.h.fault(c, new WireFault.Withheld(sent, true, "drop PUBLISH out dev-*", null));
        f.h.in(c, new PubAck(sent.packetId()));
        assertEquals(List.of(f.cite(v.isV5() ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6")), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-3.1.2-23] v5 [MQTT-3.1.2-20] a packet later than Keep Alive (plus 10 % and 100 ms) is a breach and the connection stays; 1.5 x Keep Alive closes it, another breach")
    void keepAlive(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.open();
        f.h.in(c, Packets.withKeepAlive(Packets.connect(v, DEV, true), 10));
        f.h.advance(11_100);
        f.h.in(c, PingReq.INSTANCE);
        assertEquals(List.of(), f.breaches(DEV), "within Keep Alive + 10 % + 100 ms");
        f.h.advance(11_101);
        f.h.in(c, PingReq.INSTANCE);
        assertEquals(List.of(f.cite(v.isV5() ? "MQTT-3.1.2-20" : "MQTT-3.1.2-23")), f.breaches(DEV));
        assertTrue(!f.h.isClosed(c));
        f.h.advance(15_000);
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, f.h.closeReason(c));
        assertEquals(2, f.breaches(DEV).size());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-4.3.3-1] v5 [MQTT-4.3.3-6] the QoS 2 PUBLISH again after its PUBREL (the PUBCOMP was dropped)")
    void publishAfterPubRel(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, f.publish("t", "m", 2, 5, false), new PubRel(5));
        f.h.fault(c, new WireFault.Withheld(new PubComp(5), true, "drop PUBCOMP out dev-*", null));
        f.h.lose(c);
        ConnectionId again = f.connectKept(DEV);
        f.h.in(again, f.publish("t", "m", 2, 5, true));
        assertEquals(List.of(f.cite(v.isV5() ? "MQTT-4.3.3-6" : "MQTT-4.3.3-1")), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("a close for a protocol violation names the statement the check named: v3.1.1 v5 [MQTT-3.3.1-4] from the decoder, [MQTT-3.1.0-2] a second CONNECT")
    void closesNameTheirStatement(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.h.connected(v, DEV);
        f.h.run(f.h.core().malformedPacket(f.h.state(), c, ReasonCode.MALFORMED_PACKET,
                "[MQTT-3.3.1-4] PUBLISH QoS is 3", v, f.h.now()));
        ConnectionId d = f.h.connected(v, "dev-2");
        f.h.in(d, Packets.connect(v, "dev-2", true));
        assertEquals(List.of(f.cite("MQTT-3.3.1-4")), f.breaches(DEV));
        assertEquals(List.of(f.cite("MQTT-3.1.0-2")), f.breaches("dev-2"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("a correct client gets an empty report: QoS 1 and 2 both ways, a cut mid-handshake, resends with DUP 1 and PUBREL after the session resumes, late answers to a duplicated PUBLISH, its own DISCONNECT")
    void correctClientEmptyReport(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, Packets.subscribe(1, "in/#", QoS.EXACTLY_ONCE));
        f.h.in(c, f.publish("out", "a", 1, 1, false), f.publish("out", "b", 2, 2, false), new PubRel(2));
        f.h.in(c, f.publish("out", "c", 2, 3, false));
        f.h.fault(c, new WireFault.Withheld(new PubRec(3), true, "drop PUBREC out dev-*", null));
        f.h.in(c, f.publish("out", "d", 2, 4, false));
        ConnectionId p = f.h.connected(v, "publisher");
        f.h.in(p, f.publish("in/x", "e", 1, 1, false), f.publish("in/x", "g", 2, 2, false));
        f.h.out(c);
        f.h.lose(c);
        ConnectionId again = f.h.open();
        f.h.in(again, f.kept(DEV));
        List<io.checkedmqtt.core.packet.Packet> resent = f.h.out(again);
        Publish e = (Publish) resent.get(1);
        Publish g = (Publish) resent.get(2);
        assertTrue(e.dup() && g.dup(), "resent with DUP 1: " + resent);
        f.h.fault(again, new WireFault.Duplicated(e.asDuplicate(), "duplicate PUBLISH out dev-*", null));
        f.h.in(again, f.publish("out", "c", 2, 3, true), new PubRel(3), new PubRel(4));
        f.h.in(again, new PubAck(e.packetId()), new PubAck(e.packetId()), new PubRec(g.packetId()));
        f.h.in(again, new PubComp(((PubRel) f.h.out(again).stream().filter(x -> x instanceof PubRel).findFirst()
                .orElseThrow()).packetId()));
        f.h.in(again, f.publish("out", "h", 1, 1, false), PingReq.INSTANCE, Packets.disconnect(ReasonCode.SUCCESS));
        f.h.advance(10_000);
        assertEquals(List.of(), f.breaches(DEV), "report: " + f.report(DEV).summary());
        assertEquals("no breach", f.report(DEV).summary());
        assertTrue(f.notes(DEV).stream().anyMatch(n -> n instanceof Note.Summary s && s.text().equals("no breach")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("a changed report is published, retained, on $SYS/broker/clients/<id>/conformance; '#' does not match it [MQTT-4.7.2-1]")
    void reportTopic(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v);
        ConnectionId watcher = f.h.connected(v, "watcher");
        f.h.in(watcher, Packets.subscribe(1, "$SYS/broker/clients/+/conformance", QoS.AT_MOST_ONCE));
        ConnectionId all = f.h.connected(v, "all");
        f.h.in(all, Packets.subscribe(1, "#", QoS.AT_MOST_ONCE));
        f.h.out(watcher);
        f.h.out(all);
        ConnectionId c = f.h.connected(v, "dev-/1");
        f.h.in(c, new PubRel(9));
        List<io.checkedmqtt.core.packet.Packet> got = f.h.out(watcher);
        assertEquals(1, got.size(), got.toString());
        Publish report = (Publish) got.get(0);
        assertEquals("$SYS/broker/clients/dev-%2F1/conformance", report.topic());
        String json = Packets.text(report);
        assertTrue(json.startsWith("{\"client\":\"dev-/1\",\"breaches\":1,\"summary\":\"1 breach ("), json);
        assertTrue(json.contains("\"statement\":\"" + (v.isV5() ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6") + "\""), json);
        assertTrue(f.h.out(all).isEmpty(), "'#' does not match $SYS topics");
        ConnectionId late = f.h.connected(v, "late");
        f.h.in(late, Packets.subscribe(1, "$SYS/broker/clients/dev-%2F1/conformance", QoS.AT_MOST_ONCE));
        assertTrue(f.h.out(late).stream().anyMatch(x -> x instanceof Publish p && p.retain()), "retained");
        assertTrue(f.h.allEffects().stream().noneMatch(e -> e instanceof Effect.Noted n && n.clientId().equals("all")));
    }
}
