package io.checkedmqtt.broker.hostile;

import io.checkedmqtt.broker.e2e.RawClient;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static io.checkedmqtt.broker.hostile.HostileTopicsTest.MB;
import static io.checkedmqtt.broker.hostile.HostileTopicsTest.broker;
import static io.checkedmqtt.broker.hostile.HostileTopicsTest.client;
import static io.checkedmqtt.broker.hostile.HostileTopicsTest.nextOn;
import static io.checkedmqtt.broker.hostile.HostileTopicsTest.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile clients at the level of the connection: CONNECTs that are huge, never end, are refused
 * and followed by more, or come twice; the largest frame the Remaining Length can declare, sent a
 * byte at a time; acknowledgements for nothing; clients that never read, flood PINGREQ, or stop
 * talking without closing; properties twice or too long. Each case checks the spec's answer, a
 * bystander's QoS 1 round trip and the broker's heap after a full GC ({@link HostileCheck}).
 */
class HostileConnectionsTest {

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-3.1.3-5] a 65,535-byte Client Identifier is accepted (the server may allow more than 23 bytes); a second connection with it takes the session over [MQTT-3.1.4-3]")
    void longestClientId() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "id")) {
            HostileCheck check = HostileCheck.before("a 65,535-byte Client Identifier", broker, bystander);
            for (ProtocolVersion v : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
                String id = (v.isV5() ? "5" : "3").repeat(65_535);
                RawClient first = client(broker, v, id);
                check.stillServes(v + " connected", 16 * MB);
                RawClient second = client(broker, v, id);
                assertEquals(v.isV5() ? List.of(new Disconnect(ReasonCode.SESSION_TAKEN_OVER)) : List.of(),
                        first.awaitClose(3_000));
                second.close();
            }
        }
    }

    @Test
    @DisplayName("v5 section 3.1.2.11.4: a Remaining Length of 268,435,455 sent a byte at a time is refused once its header is complete, as larger than the server takes: DISCONNECT 0x95")
    void largestDeclaredLengthTrickled() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "trickle")) {
            HostileCheck check = HostileCheck.before("a declared Remaining Length of 268,435,455", broker, bystander);
            RawClient client = client(broker, ProtocolVersion.MQTT_5, "trickle");
            for (byte b : new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}) {
                client.write(new byte[] {b});
                Thread.sleep(150);
                assertNull(client.poll(1), "nothing before the header is complete");
            }
            check.stillServes("with four header bytes in", 16 * MB);
            client.write(new byte[] {0x7F});
            assertEquals(List.of(new Disconnect(ReasonCode.PACKET_TOO_LARGE)), client.awaitClose(3_000));
            check.stillServes("after the refusal", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 a frame of 268,435,455 declared bytes that fits max_packet_size, trickled in: the broker waits, holding only what arrived, not what was declared")
    void largestFrameTrickled() throws Exception {
        // a frame that large needs a partial-frame budget that large too (the default is heap/16)
        try (HostileBroker broker = broker("max_packet_size 268435460", "budget_partial_bytes 268435460");
             Bystander bystander = Bystander.connect(broker.port(), "frame")) {
            HostileCheck check = HostileCheck.before("a 256 MB frame trickled in", broker, bystander);
            RawClient client = client(broker, ProtocolVersion.MQTT_3_1_1, "frame");
            client.write(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x00, 0x01, 'a'});
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < 32; i++) {
                client.write(chunk);
                Thread.sleep(20);
            }
            assertNull(client.poll(200), "no answer to half a frame");
            check.stillServes("holding 512 KB of a declared 256 MB (the broker's heap is 256 MB)", 32 * MB);
            client.close();
            check.stillServes("after the client went away", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 section 3.1, v5 section 3.1.4: a CONNECT that never completes, and a socket that sends nothing, are closed after connect_timeout_ms without a CONNACK")
    void connectNeverCompletes() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "half")) {
            HostileCheck check = HostileCheck.before("a CONNECT that never completes", broker, bystander);
            RawClient half = new RawClient(broker.port());
            half.write(new byte[] {0x10, 0x20, 0x00, 0x04, 'M', 'Q'});
            RawClient silent = new RawClient(broker.port());
            check.stillServes("with both waiting", 16 * MB);
            assertEquals(List.of(), half.awaitClose(5_000));
            assertEquals(List.of(), silent.awaitClose(5_000));
            check.stillServes("after both were closed", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-5] v5 [MQTT-3.1.4-6] after a refused CONNECT, the bytes that follow it are not processed: a PUBLISH behind it never reaches a subscriber")
    void bytesAfterRefusedConnect() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "refused")) {
            HostileCheck check = HostileCheck.before("bytes after a refused CONNECT", broker, bystander);
            RawClient watcher = client(broker, ProtocolVersion.MQTT_5, "watcher");
            watcher.subscribe(1, "after/#", QoS.AT_MOST_ONCE);
            RawClient v3 = new RawClient(broker.port());
            byte[] badLevel = {0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x09, 0x02, 0x00, 0x3C, 0x00, 0x01, 'x'};
            v3.write(concat(badLevel, RawClient.encode(publish("after/3", "no", QoS.AT_MOST_ONCE, 0, false),
                    ProtocolVersion.MQTT_3_1_1)));
            v3.version = ProtocolVersion.MQTT_3_1_1;
            List<Packet> v3Got = v3.awaitClose(3_000);
            assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, ((Connack) v3Got.get(0)).reasonCode());
            RawClient v5 = new RawClient(broker.port());
            Connect badMethod = new Connect(ProtocolVersion.MQTT_5, "m", true, 0, null, null, null,
                    Properties.EMPTY.withString(io.checkedmqtt.core.packet.PropertyId.AUTHENTICATION_METHOD, "none"));
            v5.write(concat(RawClient.encode(badMethod, ProtocolVersion.MQTT_5),
                    RawClient.encode(publish("after/5", "no", QoS.AT_MOST_ONCE, 0, false), ProtocolVersion.MQTT_5)));
            v5.version = ProtocolVersion.MQTT_5;
            assertEquals(List.of(new Connack(false, ReasonCode.BAD_AUTHENTICATION_METHOD, Properties.EMPTY)),
                    v5.awaitClose(3_000));
            assertNull(watcher.poll(300), "neither PUBLISH was processed");
            check.stillServes("after both refusals", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-3.1.0-2] a second CONNECT on a connection is a Protocol Error: 5.0 DISCONNECT 0x82, 3.1.1 a close")
    void secondConnect() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "twice")) {
            HostileCheck check = HostileCheck.before("a second CONNECT", broker, bystander);
            RawClient v5 = client(broker, ProtocolVersion.MQTT_5, "twice5");
            v5.send(RawClient.connect(ProtocolVersion.MQTT_5, "twice5", 0, Properties.EMPTY));
            assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), v5.awaitClose(3_000));
            RawClient v3 = client(broker, ProtocolVersion.MQTT_3_1_1, "twice3");
            v3.send(RawClient.connect(ProtocolVersion.MQTT_3_1_1, "other", 0, Properties.EMPTY));
            assertEquals(List.of(), v3.awaitClose(3_000));
            check.stillServes("after both were closed", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.3.3-11] PUBACK, PUBREC, PUBREL and PUBCOMP for identifiers never used: PUBREC and PUBREL are answered (5.0 with 0x92 Packet Identifier not found), PUBACK and PUBCOMP ignored, the connection stays")
    void acknowledgementsForNothing() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "acks")) {
            HostileCheck check = HostileCheck.before("acknowledgements for unknown identifiers", broker, bystander);
            for (ProtocolVersion v : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
                RawClient c = client(broker, v, "acks-" + v);
                for (int id = 1; id <= 1_000; id++) {
                    c.send(new PubAck(id));
                    c.send(new PubRec(id));
                    c.send(new PubRel(id));
                    c.send(new PubComp(id));
                }
                c.send(PingReq.INSTANCE);
                for (int id = 1; id <= 1_000; id++) {
                    PubRel rel = assertInstanceOf(PubRel.class, c.receive());
                    PubComp comp = assertInstanceOf(PubComp.class, c.receive());
                    ReasonCode notFound = v.isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND : ReasonCode.SUCCESS;
                    assertEquals(List.of(id, id, notFound, notFound),
                            List.of(rel.packetId(), comp.packetId(), rel.reasonCode(), comp.reasonCode()));
                }
                assertInstanceOf(PingResp.class, c.receive(), "nothing else, and the connection is open");
                check.stillServes(v + " after 4,000 of them", 16 * MB);
            }
        }
    }

    @Test
    @DisplayName("v5 [MQTT-4.3.3-10] [MQTT-4.3.3-11] all 65,535 packet identifiers held by QoS 2 PUBLISHes awaiting PUBREL: each gets PUBREC, a repeat is not delivered again, PUBREL frees them all")
    void everyPacketIdHeld() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "ids")) {
            HostileCheck check = HostileCheck.before("65,535 QoS 2 identifiers held", broker, bystander);
            RawClient watcher = client(broker, ProtocolVersion.MQTT_3_1_1, "count");
            watcher.subscribe(1, "held", QoS.AT_MOST_ONCE);
            RawClient c = client(broker, ProtocolVersion.MQTT_5, "holder");
            for (int from = 1; from <= 65_535; from += 5_000) {
                int to = Math.min(65_535, from + 4_999);
                for (int id = from; id <= to; id++) {
                    c.send(publish("held", "m", QoS.EXACTLY_ONCE, id, false));
                }
                for (int id = from; id <= to; id++) {
                    assertEquals(id, assertInstanceOf(PubRec.class, c.receive()).packetId());
                }
            }
            check.stillServes("with all 65,535 identifiers held", 64 * MB);
            c.send(new Publish("held", new byte[] {'m'}, QoS.EXACTLY_ONCE, false, true, 40_000, Properties.EMPTY));
            assertEquals(new PubRec(40_000), c.receive());
            for (int id = 1; id <= 65_535; id++) {
                c.send(new PubRel(id));
            }
            for (int id = 1; id <= 65_535; id++) {
                assertEquals(new PubComp(id), c.receive());
            }
            int delivered = 0;
            while (watcher.poll(3_000) instanceof Publish) {   // a loaded machine can pause the broker for 500 ms
                delivered++;
            }
            assertEquals(65_535, delivered, "each message once, the repeat not again");
            check.stillServes("after all were released", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] [MQTT-4.3.3-1] a subscriber that answers no QoS 2 PUBLISH, with max_inflight_messages 65535: the broker uses every identifier once, queues the rest, and reuses an identifier only after its flow completed")
    void everyPacketIdInUseTowardsAClient() throws Exception {
        // one session may hold at most half of budget_queued_messages (heap/2048, 128 Ki at 256 MB): 65,585 needs more
        try (HostileBroker broker = broker("max_inflight_messages 65535", "max_queued_messages 100",
                "budget_queued_messages 200000");
             Bystander bystander = Bystander.connect(broker.port(), "outids")) {
            HostileCheck check = HostileCheck.before("65,535 identifiers in flight towards a client", broker, bystander);
            RawClient mute = client(broker, ProtocolVersion.MQTT_3_1_1, "mute");
            mute.subscribe(1, "mute", QoS.EXACTLY_ONCE);
            RawClient pub = client(broker, ProtocolVersion.MQTT_3_1_1, "feeder");
            boolean[] seen = new boolean[65_536];
            for (int from = 0; from < 65_535 + 50; from += 5_000) {
                int to = Math.min(65_535 + 50, from + 5_000);
                for (int i = from; i < to; i++) {
                    pub.send(publish("mute", "m" + i, QoS.EXACTLY_ONCE, i % 65_535 + 1, false));
                    pub.send(new PubRel(i % 65_535 + 1));
                }
                for (int i = from; i < to; i++) {
                    assertInstanceOf(PubRec.class, pub.receive());
                    assertInstanceOf(PubComp.class, pub.receive());
                }
            }
            for (int i = 0; i < 65_535; i++) {
                Publish p = assertInstanceOf(Publish.class, mute.receive());
                assertTrue(!seen[p.packetId()], "identifier " + p.packetId() + " used twice while in flight");
                seen[p.packetId()] = true;
            }
            assertNull(mute.poll(300), "the other 50 wait: no identifier is free");
            check.stillServes("with all 65,535 identifiers in flight and 50 queued", 64 * MB);
            mute.send(new PubRec(777));
            assertEquals(new PubRel(777), mute.receive());
            mute.send(new PubComp(777));
            assertEquals(777, assertInstanceOf(Publish.class, mute.receive()).packetId(), "the freed one, reused");
            check.stillServes("after one flow completed", 64 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.12.4-1] 100,000 PINGREQs written without reading: every one is answered, the broker holds its replies within max_outbound_bytes by reading no further until the client reads")
    void pingFlood() throws Exception {
        int count = 100_000;
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "ping")) {
            HostileCheck check = HostileCheck.before(count + " PINGREQs", broker, bystander);
            RawClient c = new RawClient(broker.port(), 4_096);
            assertEquals(ReasonCode.SUCCESS, c.handshake(ProtocolVersion.MQTT_3_1_1, "pinger").reasonCode());
            byte[] pings = new byte[2 * count];
            for (int i = 0; i < count; i++) {
                pings[2 * i] = (byte) 0xC0;
            }
            Thread writer = new Thread(() -> {
                try {
                    c.write(pings);
                } catch (IOException ignored) {
                    // the assertions below say what went wrong
                }
            });
            writer.start();
            Thread.sleep(500);
            check.stillServes("with the flood unread", 16 * MB);
            for (int i = 0; i < count; i++) {
                assertInstanceOf(PingResp.class, c.receive());
            }
            writer.join(10_000);
            check.stillServes("after all were read", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-3.1.2-24] / [MQTT-3.1.2-22] a client that goes silent without closing (half-open) is closed after 1.5 x Keep Alive, 5.0 with DISCONNECT 0x8D, and its will goes out; one that half-closes is closed at once, will and all")
    void halfOpen() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "halfopen")) {
            HostileCheck check = HostileCheck.before("half-open sockets", broker, bystander);
            RawClient watcher = client(broker, ProtocolVersion.MQTT_5, "wills");
            watcher.subscribe(1, "will/#", QoS.AT_MOST_ONCE);
            RawClient silent = new RawClient(broker.port());
            silent.send(new Connect(ProtocolVersion.MQTT_5, "silent", true, 1, null, null,
                    new Will("will/silent", new byte[] {1}, QoS.AT_MOST_ONCE, false, Properties.EMPTY), Properties.EMPTY));
            assertInstanceOf(Connack.class, silent.receive());
            RawClient leaving = new RawClient(broker.port());
            leaving.send(new Connect(ProtocolVersion.MQTT_3_1_1, "leaving", true, 0, null, null,
                    new Will("will/leaving", new byte[] {2}, QoS.AT_MOST_ONCE, false, Properties.EMPTY), Properties.EMPTY));
            assertInstanceOf(Connack.class, leaving.receive());
            leaving.socket.shutdownOutput();
            assertEquals("will/leaving", nextOn(watcher, "will/leaving").topic());
            assertEquals(List.of(new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT)), silent.awaitClose(4_000));
            assertEquals("will/silent", nextOn(watcher, "will/silent").topic());
            check.stillServes("after both were closed", 16 * MB);
        }
    }

    @Test
    @DisplayName("v5 section 2.2.2.2: a property given twice is a Protocol Error (DISCONNECT 0x82); a property longer than its packet is Malformed (0x81); in a first CONNECT the same codes come in the CONNACK")
    void duplicateAndOversizeProperties() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "props")) {
            HostileCheck check = HostileCheck.before("duplicate and oversize properties", broker, bystander);
            RawClient twice = client(broker, ProtocolVersion.MQTT_5, "twice");
            // PUBLISH "t" QoS 0, properties: Message Expiry Interval 1, then again 2
            twice.write(new byte[] {0x30, 0x0F, 0x00, 0x01, 't', 0x0A, 0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 2, 'x'});
            assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), twice.awaitClose(3_000));
            RawClient longer = client(broker, ProtocolVersion.MQTT_5, "longer");
            // PUBLISH "t" QoS 0, a User Property whose name claims 65,535 bytes in a 10-byte packet
            longer.write(new byte[] {0x30, 0x0A, 0x00, 0x01, 't', 0x05, 0x26, (byte) 0xFF, (byte) 0xFF, 'a', 'b', 'c'});
            assertEquals(List.of(new Disconnect(ReasonCode.MALFORMED_PACKET)), longer.awaitClose(3_000));
            RawClient first = new RawClient(broker.port());
            first.version = ProtocolVersion.MQTT_5;
            // CONNECT 5.0 with Session Expiry Interval twice
            first.write(new byte[] {0x10, 0x18, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x00, 0x0A,
                0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2, 0x00, 0x01, 'c'});
            Connack refused = assertInstanceOf(Connack.class, first.awaitClose(3_000).get(0));
            assertEquals(ReasonCode.PROTOCOL_ERROR, refused.reasonCode());
            check.stillServes("after the three were closed", 16 * MB);
        }
    }

    @Test
    @DisplayName("v3.1.1 a subscriber that never reads, 8 MB sent its way: QoS 0 beyond max_outbound_bytes is dropped and counted, QoS 1 waits in its in-flight window and queue up to max_queued_messages; the publisher and the bystander are served throughout")
    void neverReads() throws Exception {
        int count = 2_000;
        try (HostileBroker broker = broker("max_queued_messages 500", "max_outbound_bytes 65536");
             Bystander bystander = Bystander.connect(broker.port(), "reader")) {
            HostileCheck check = HostileCheck.before("a subscriber that never reads", broker, bystander);
            RawClient stuck = new RawClient(broker.port(), 4_096);
            stuck.send(new Connect(ProtocolVersion.MQTT_3_1_1, "stuck", false, 0, null, null, null, Properties.EMPTY));
            stuck.subscribe(1, "flood/#", QoS.AT_LEAST_ONCE);
            RawClient pub = client(broker, ProtocolVersion.MQTT_3_1_1, "flooder");
            byte[] kilobyte = new byte[4_096];
            for (int from = 0; from < count; from += 500) {
                for (int i = from; i < from + 500; i++) {
                    pub.send(new Publish("flood/0", kilobyte, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY));
                    pub.send(new Publish("flood/1", kilobyte, QoS.AT_LEAST_ONCE, false, false, i % 65_535 + 1,
                            Properties.EMPTY));
                }
                for (int i = from; i < from + 500; i++) {
                    assertInstanceOf(PubAck.class, pub.receive(), "the publisher is acknowledged all along");
                }
            }
            String stats = broker.stats();
            long droppedQos0 = Long.parseLong(stats.replaceAll(".*dropped qos0=(\\d+).*", "$1"));
            System.out.println("[hostile] a subscriber that never reads: " + stats);
            assertTrue(droppedQos0 > 0, "QoS 0 beyond the outbound bound is dropped: " + stats);
            check.stillServes("with " + count + " QoS 0 and " + count + " QoS 1 messages of 4 KB for it", 32 * MB);
            stuck.close();
            check.stillServes("after it went away (its session keeps up to 500 messages)", 32 * MB);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
