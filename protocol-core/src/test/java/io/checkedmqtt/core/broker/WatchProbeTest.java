package io.checkedmqtt.core.broker;

import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.conformance.ProbeMessage;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.SubAck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verdicts of the three probes, judged by the core from what the shell reports it did
 * (a withheld PUBACK, a cut after PUBREC or SUBACK) and what the client does next.
 */
class WatchProbeTest {

    private static final String DEV = "dev-1";
    private static final long TIMEOUT = 3_000;

    private static List<String> outcomes(WatchFixture f) {
        return f.verdicts(DEV).stream().map(v -> v.probe() + " " + v.outcome()).toList();
    }

    private static WireFault withheldAck(int id) {
        return new WireFault.Withheld(new PubAck(id), true, "probe.qos1-retry", ProbeKind.QOS1_RETRY);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("probe.qos1-retry: a resend with DUP 1 and the same id on the same connection passes in v3.1.1 and fails v5 [MQTT-4.4.0-1]")
    void qos1RetryInsideTheConnection(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v, WatchFixture.probe(ProbeKind.QOS1_RETRY));
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, f.publish("t", "m", 1, 1, false));
        f.h.fault(c, withheldAck(1));
        f.h.advance(500);
        f.h.in(c, f.publish("t", "m", 1, 1, true));
        assertEquals(List.of("qos1-retry " + (v.isV5() ? "FAIL" : "PASS")), outcomes(f));
        Note.Verdict verdict = f.verdicts(DEV).get(0);
        assertEquals(v.isV5() ? "MQTT-4.4.0-1" : "MQTT-4.4.0-1 MQTT-3.3.1-1 MQTT-2.3.1-3", verdict.statements());
        if (!v.isV5()) {
            assertEquals("PUBLISH id=1 sent again with DUP 1 500 ms after the broker withheld its answer",
                    verdict.detail());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("probe.qos1-retry: no resend within the timeout cuts the connection; the resend after the session resumes passes [MQTT-4.4.0-1, MQTT-3.3.1-1]")
    void qos1RetryAfterTheCut(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v, WatchFixture.probe(ProbeKind.QOS1_RETRY));
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, f.publish("t", "m", 1, 1, false));
        f.h.fault(c, withheldAck(1));
        f.h.advance(TIMEOUT);
        assertTrue(f.h.closedByServer(c), "the probe cut the connection");
        assertTrue(f.h.out(c).stream().noneMatch(p -> p instanceof io.checkedmqtt.core.packet.Disconnect),
                "without a DISCONNECT, as a network failure");
        ConnectionId again = f.connectKept(DEV);
        f.h.in(again, f.publish("t", "m", 1, 1, true));
        assertEquals(List.of("qos1-retry PASS"), outcomes(f));
        assertEquals(List.of(), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("probe.qos1-retry: without DUP fails [MQTT-3.3.1-1]; nothing after the session resumed fails [MQTT-4.4.0-1]; a clean start cannot be judged")
    void qos1RetryFailures(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v, WatchFixture.probe(ProbeKind.QOS1_RETRY));
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, f.publish("t", "m", 1, 1, false));
        f.h.fault(c, withheldAck(1));
        f.h.advance(TIMEOUT);
        ConnectionId again = f.connectKept(DEV);
        f.h.in(again, f.publish("t", "m", 1, 1, false));
        f.h.in(again, f.publish("t", "n", 1, 2, false));
        f.h.fault(again, withheldAck(2));
        f.h.advance(TIMEOUT);
        ConnectionId third = f.connectKept(DEV);
        f.h.advance(TIMEOUT);
        f.h.in(third, f.publish("t", "o", 1, 3, false));
        f.h.fault(third, withheldAck(3));
        f.h.advance(TIMEOUT);
        ConnectionId clean = f.h.open();
        f.h.in(clean, Packets.connect(v, DEV, true));
        assertEquals(List.of("qos1-retry FAIL", "qos1-retry FAIL", "qos1-retry NOT_APPLICABLE"), outcomes(f));
        assertEquals("MQTT-3.3.1-1", f.verdicts(DEV).get(0).statements());
        assertEquals("MQTT-4.4.0-1", f.verdicts(DEV).get(1).statements());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("probe.qos2-cut: cut after PUBREC; PUBREL after the session resumes passes, silence fails [MQTT-4.4.0-1], a PUBLISH again with DUP 1 then PUBREL passes")
    void qos2Cut(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v, WatchFixture.probe(ProbeKind.QOS2_CUT));
        for (int round = 0; round < 3; round++) {
            ConnectionId c = f.connectKept(DEV);
            int id = 10 + round;
            f.h.in(c, f.publish("t", "m" + round, 2, id, false));
            f.h.fault(c, new WireFault.Cut(new PubRec(id), true, "probe.qos2-cut", ProbeKind.QOS2_CUT));
            f.h.lose(c);
            ConnectionId again = f.connectKept(DEV);
            if (round == 0) {
                f.h.in(again, new PubRel(id));
            } else if (round == 1) {
                f.h.advance(TIMEOUT);
                f.h.in(again, new PubRel(id));   // too late to pass; settles the session
            } else {
                f.h.in(again, f.publish("t", "m" + round, 2, id, true), new PubRel(id));
            }
            f.h.lose(again);
        }
        assertEquals(List.of("qos2-cut PASS", "qos2-cut FAIL", "qos2-cut PASS"), outcomes(f));
        assertEquals("MQTT-4.4.0-1", f.verdicts(DEV).get(1).statements());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("probe.offline-queue: cut after SUBACK, one message queued for the offline session; its acknowledgement after the session resumes passes, none fails [MQTT-4.5.0-2], a clean start cannot be judged")
    void offlineQueue(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v, WatchFixture.probe(ProbeKind.OFFLINE_QUEUE));
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, Packets.subscribe(1, "home/+/temp", QoS.AT_LEAST_ONCE));
        SubAck ack = (SubAck) f.h.out(c).get(0);
        f.h.fault(c, new WireFault.Cut(ack, true, "probe.offline-queue", ProbeKind.OFFLINE_QUEUE));
        f.h.lose(c);
        assertEquals(List.of(Note.DecisionKind.QUEUED_OFFLINE),
                f.decisions(DEV).stream().map(Note.Decision::kind).toList());
        ConnectionId again = f.h.open();
        f.h.in(again, f.kept(DEV));
        List<Packet> sent = f.h.out(again);
        Publish probe = (Publish) sent.get(1);
        assertEquals("home/probe/temp", probe.topic());
        assertEquals(ProbeMessage.PAYLOAD, Packets.text(probe));
        f.h.in(again, new PubAck(probe.packetId()));
        assertEquals(List.of("offline-queue PASS"), outcomes(f));

        f.h.fault(again, new WireFault.Cut(ack, true, "probe.offline-queue", ProbeKind.OFFLINE_QUEUE));
        f.h.lose(again);
        ConnectionId third = f.connectKept(DEV);
        f.h.advance(TIMEOUT);
        f.h.fault(third, new WireFault.Cut(ack, true, "probe.offline-queue", ProbeKind.OFFLINE_QUEUE));
        f.h.lose(third);
        ConnectionId clean = f.h.open();
        f.h.in(clean, Packets.connect(v, DEV, true));
        assertEquals(List.of("offline-queue PASS", "offline-queue FAIL", "offline-queue NOT_APPLICABLE"),
                outcomes(f));
        assertEquals("MQTT-4.5.0-2", f.verdicts(DEV).get(1).statements());
        assertEquals(List.of(f.cite("MQTT-4.5.0-2")), f.breaches(DEV));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("probe.qos2-receive-cut: cut after the client's PUBREC, before the PUBREL; PUBCOMP for the PUBREL sent again passes, v5 PUBCOMP 0x92 fails [MQTT-4.3.3-10], no PUBCOMP fails v3.1.1 [MQTT-4.3.3-2] v5 [MQTT-4.3.3-11]")
    void qos2ReceiveCut(ProtocolVersion v) {
        WatchFixture f = new WatchFixture(v, WatchFixture.probe(ProbeKind.QOS2_RECEIVE_CUT));
        ConnectionId c = f.connectKept(DEV);
        f.h.in(c, Packets.subscribe(1, "r", QoS.EXACTLY_ONCE));
        ConnectionId p = f.h.connected(v, "publisher");
        for (int round = 0; round < 3; round++) {
            f.h.in(p, f.publish("r", "m" + round, 2, round + 1, false), new PubRel(round + 1));
            Publish sent = (Publish) f.h.out(c).stream().filter(x -> x instanceof Publish).findFirst().orElseThrow();
            f.h.in(c, new PubRec(sent.packetId()));
            f.h.fault(c, new WireFault.Cut(new PubRec(sent.packetId()), false, "probe.qos2-receive-cut",
                    ProbeKind.QOS2_RECEIVE_CUT));
            f.h.lose(c);
            c = f.h.open();
            f.h.in(c, f.kept(DEV));
            assertTrue(f.h.out(c).stream().anyMatch(x -> x instanceof PubRel r && r.packetId() == sent.packetId()),
                    "the PUBREL is sent again");
            if (round == 0) {
                f.h.in(c, new io.checkedmqtt.core.packet.PubComp(sent.packetId()));
            } else if (round == 1) {
                f.h.in(c, new io.checkedmqtt.core.packet.PubComp(sent.packetId(),
                        io.checkedmqtt.core.packet.ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                        io.checkedmqtt.core.packet.Properties.EMPTY));
            } else {
                f.h.advance(TIMEOUT);
            }
        }
        assertEquals(v.isV5() ? List.of("qos2-receive-cut PASS", "qos2-receive-cut FAIL", "qos2-receive-cut FAIL")
                : List.of("qos2-receive-cut PASS", "qos2-receive-cut PASS", "qos2-receive-cut FAIL"), outcomes(f));
        if (v.isV5()) {
            assertEquals("MQTT-4.3.3-10", f.verdicts(DEV).get(1).statements());
            assertEquals(List.of(f.cite("MQTT-4.3.3-10"), f.cite("MQTT-4.3.3-11")), f.breaches(DEV));
        } else {
            assertEquals(List.of(f.cite("MQTT-4.3.3-2")), f.breaches(DEV));
        }
    }
}
