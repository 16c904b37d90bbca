package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.V3Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input over a raw socket. Each test checks that the offending connection is closed with the
 * right code, and that two well-behaved Paho clients connected all along still exchange messages.
 */
class BadInputTest {

    /** Long enough for Paho, which sends CONNECT only ~300 ms after its TCP connect, on a loaded machine. */
    private static final int CONNECT_TIMEOUT_MS = 1_500;

    private TestBroker broker;
    private V3Client bystanderSub;
    private V3Client bystanderPub;
    private int bystanderMessages;

    @BeforeEach
    void start() throws Exception {
        BrokerConfig core = BrokerConfig.builder().maximumPacketSize(4_096).connectTimeoutMillis(CONNECT_TIMEOUT_MS).build();
        broker = new TestBroker(s -> s.core(core));
        bystanderSub = broker.track(new V3Client(broker.uri, "bystander-sub")).connect(true).subscribe("calm/#", 1);
        bystanderPub = broker.track(new V3Client(broker.uri, "bystander-pub")).connect(true);
        bystandersStillTalk();
    }

    @AfterEach
    void stop() throws Exception {
        bystandersStillTalk();
        broker.close();
    }

    private void bystandersStillTalk() throws Exception {
        String payload = "still fine " + (++bystanderMessages);
        bystanderPub.publish("calm/x", payload, 1);
        Received r = bystanderSub.next();
        assertNotNull(r, "a well-behaved client is unharmed");
        assertEquals(payload, r.payload());
    }

    private RawClient raw() throws Exception {
        return broker.track(new RawClient(broker.broker.port()));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.0-1] [MQTT-4.8.0-1] a first packet that is not CONNECT closes the connection, nothing sent")
    void firstPacketNotConnect() throws Exception {
        RawClient client = raw();
        client.version = ProtocolVersion.MQTT_3_1_1;
        client.send(PingReq.INSTANCE);
        assertEquals(List.of(), client.awaitClose(3_000));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.0-2] a second CONNECT is a protocol violation: the connection is closed")
    void secondConnectV3() throws Exception {
        RawClient client = raw();
        assertEquals(ReasonCode.SUCCESS, client.handshake(ProtocolVersion.MQTT_3_1_1, "twice").reasonCode());
        client.send(RawClient.connect(ProtocolVersion.MQTT_3_1_1, "twice", 0, Properties.EMPTY));
        assertEquals(List.of(), client.awaitClose(3_000));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.0-2] [MQTT-4.13.1-1] a second CONNECT gets DISCONNECT 0x82 (Protocol Error) and a close")
    void secondConnectV5() throws Exception {
        RawClient client = raw();
        assertEquals(ReasonCode.SUCCESS, client.handshake(ProtocolVersion.MQTT_5, "twice5").reasonCode());
        client.send(RawClient.connect(ProtocolVersion.MQTT_5, "twice5", 0, Properties.EMPTY));
        List<Packet> before = client.awaitClose(3_000);
        assertEquals(1, before.size(), before.toString());
        assertEquals(ReasonCode.PROTOCOL_ERROR, ((Disconnect) before.get(0)).reasonCode());
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] section 3.1.4: a malformed 5.0 CONNECT (a Topic Alias property) gets CONNACK 0x81, then a close")
    void malformedConnectV5() throws Exception {
        RawClient client = raw();
        client.version = ProtocolVersion.MQTT_5;
        client.write(new byte[] {0x10, 0x11, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x03, 0x23, 0x00, 0x01, 0x00, 0x01, 'c'});
        List<Packet> before = client.awaitClose(3_000);
        assertEquals(1, before.size(), before.toString());
        Connack connack = assertInstanceOf(Connack.class, before.get(0));
        assertEquals(ReasonCode.MALFORMED_PACKET, connack.reasonCode());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-1] a malformed 3.1.1 CONNECT (reserved flag set) is closed without CONNACK")
    void malformedConnectV3() throws Exception {
        RawClient client = raw();
        client.version = ProtocolVersion.MQTT_3_1_1;
        client.write(new byte[] {0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x03, 0x00, 0x3C, 0x00, 0x01, 'c'});
        assertEquals(List.of(), client.awaitClose(3_000));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.8.0-1] a malformed PUBLISH (QoS 3) closes the connection")
    void malformedV3() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_3_1_1, "qos3");
        client.write(new byte[] {0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01});
        assertEquals(List.of(), client.awaitClose(3_000));
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] a malformed PUBLISH (QoS 3) gets DISCONNECT 0x81 (Malformed Packet) and a close")
    void malformedV5() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_5, "qos3-5");
        client.write(new byte[] {0x36, 0x06, 0x00, 0x01, 'a', 0x00, 0x01, 0x00});
        List<Packet> before = client.awaitClose(3_000);
        assertEquals(1, before.size(), before.toString());
        assertEquals(ReasonCode.MALFORMED_PACKET, ((Disconnect) before.get(0)).reasonCode());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.8.0-1] [MQTT-4.7.1-2] a SUBSCRIBE to a/#/b closes the connection, no SUBACK; the bystanders still talk")
    void malformedFilterSubscribeV3() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_3_1_1, "filter3");
        // SUBSCRIBE id 1: "a/#/b" QoS 1
        client.write(new byte[] {(byte) 0x82, 0x0A, 0x00, 0x01, 0x00, 0x05, 'a', '/', '#', '/', 'b', 0x01});
        assertEquals(List.of(), client.awaitClose(3_000));
        bystandersStillTalk();
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] [MQTT-4.7.1-2] a SUBSCRIBE with a+ among its filters gets DISCONNECT 0x82 (Protocol Error), no SUBACK, a close")
    void malformedFilterSubscribeV5() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_5, "filter5");
        client.send(new Subscribe(1, List.of(new Subscription("fine", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                new Subscription("a+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), client.awaitClose(3_000));
        bystandersStillTalk();
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] [MQTT-4.7.1-1] v3.1.1 [MQTT-4.8.0-1] [MQTT-4.7.3-1] an UNSUBSCRIBE of #/a (5.0) or of the empty filter (3.1.1) closes the connection, 5.0 with DISCONNECT 0x82")
    void malformedFilterUnsubscribe() throws Exception {
        RawClient v5 = raw();
        v5.handshake(ProtocolVersion.MQTT_5, "unsub5");
        v5.send(new Unsubscribe(1, List.of("#/a"), Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), v5.awaitClose(3_000));
        RawClient v3 = raw();
        v3.handshake(ProtocolVersion.MQTT_3_1_1, "unsub3");
        v3.send(new Unsubscribe(1, List.of(""), Properties.EMPTY));
        assertEquals(List.of(), v3.awaitClose(3_000));
        bystandersStillTalk();
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] a Remaining Length of five bytes is malformed: DISCONNECT 0x81, close")
    void remainingLengthTooLong() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_5, "varint");
        client.write(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
        List<Packet> before = client.awaitClose(3_000);
        assertEquals(1, before.size(), before.toString());
        assertEquals(ReasonCode.MALFORMED_PACKET, ((Disconnect) before.get(0)).reasonCode());
    }

    @Test
    @DisplayName("v5 a frame above max_packet_size is refused from its header alone: DISCONNECT 0x95 (Packet too large), close")
    void oversizeFrameV5() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_5, "big5");
        // PUBLISH announcing 100,000 bytes; only the header is sent, so the broker must not wait for the body
        client.write(new byte[] {0x30, (byte) 0xA0, (byte) 0x8D, 0x06});
        List<Packet> before = client.awaitClose(3_000);
        assertEquals(1, before.size(), before.toString());
        assertEquals(ReasonCode.PACKET_TOO_LARGE, ((Disconnect) before.get(0)).reasonCode());
    }

    @Test
    @DisplayName("v3.1.1 a frame above max_packet_size closes the connection without waiting for its body")
    void oversizeFrameV3() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_3_1_1, "big3");
        client.write(new byte[] {0x30, (byte) 0xA0, (byte) 0x8D, 0x06});
        assertEquals(List.of(), client.awaitClose(3_000));
    }

    @Test
    @DisplayName("v3.1.1 a connection that sends half a CONNECT and stalls is closed after connect_timeout_ms")
    void halfConnectStalls() throws Exception {
        RawClient client = raw();
        client.write(new byte[] {0x10, 0x0C, 0x00, 0x04, 'M'});
        long start = System.nanoTime();
        assertEquals(List.of(), client.awaitClose(5_000));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= CONNECT_TIMEOUT_MS - 100, "not before the timeout: " + tookMillis);
    }

    @Test
    @DisplayName("a socket that never sends anything is closed after connect_timeout_ms")
    void silentSocket() throws Exception {
        RawClient client = raw();
        assertEquals(List.of(), client.awaitClose(5_000));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] half a packet after CONNECT, then silence: closed by keep-alive (1.5 x 1 s)")
    void halfPacketAfterConnectStalls() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_3_1_1, "stall3", 1, Properties.EMPTY);
        client.write(new byte[] {0x30, 0x10, 0x00, 0x01});
        long start = System.nanoTime();
        assertEquals(List.of(), client.awaitClose(5_000));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 1_000, "keep-alive is 1.5 x 1 s: " + tookMillis);
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-22] half a packet after CONNECT, then silence: DISCONNECT 0x8D (Keep Alive timeout) or plain close")
    void halfPacketAfterConnectStallsV5() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_5, "stall5", 1, Properties.EMPTY);
        client.write(new byte[] {0x30, 0x10, 0x00, 0x01});
        List<Packet> before = client.awaitClose(5_000);
        assertTrue(before.size() <= 1, before.toString());
        if (before.size() == 1) {
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, ((Disconnect) before.get(0)).reasonCode());
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-2] a CONNECT with an unknown protocol level gets CONNACK 0x01 (unacceptable protocol version) and a close")
    void unknownProtocolLevel() throws Exception {
        RawClient client = raw();
        client.version = ProtocolVersion.MQTT_3_1_1;
        client.write(new byte[] {0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x07, 0x02, 0x00, 0x3C, 0x00, 0x01, 'x'});
        List<Packet> before = client.awaitClose(3_000);
        assertEquals(1, before.size(), before.toString());
        Connack connack = assertInstanceOf(Connack.class, before.get(0));
        assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, connack.reasonCode());
    }

    @Test
    @DisplayName("a well-formed client next to the bad ones still gets PINGRESP")
    void pingStillWorks() throws Exception {
        RawClient client = raw();
        client.handshake(ProtocolVersion.MQTT_5, "pinger");
        client.send(PingReq.INSTANCE);
        assertInstanceOf(PingResp.class, client.receive());
    }
}
