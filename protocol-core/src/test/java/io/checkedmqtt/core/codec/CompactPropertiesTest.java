package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.Property.IntegerProperty;
import io.checkedmqtt.core.packet.Property.UserProperty;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties take memory in proportion to their wire size, whatever a client puts in them
 * (issue 22: eight million empty User Properties, 40 MB on the wire, once took 595 MB of heap),
 * and a configured bound on User Properties per packet is answered with 0x97 Quota exceeded.
 */
class CompactPropertiesTest {

    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    /** A 5.0 QoS 0 PUBLISH to "t" with {@code count} empty User Properties, as bytes. */
    static byte[] publishWithEmptyUserProperties(int count) {
        int properties = count * 5;   // 0x26, then two empty strings (00 00, 00 00)
        ByteBuffer body = ByteBuffer.allocate(3 + 4 + properties + 1);
        body.put(new byte[] {0, 1, 't'});
        VariableByteInteger.write(properties, body);
        for (int i = 0; i < count; i++) {
            body.put(new byte[] {0x26, 0, 0, 0, 0});
        }
        body.put((byte) 'x');
        body.flip();
        ByteBuffer frame = ByteBuffer.allocate(1 + 4 + body.remaining());
        frame.put((byte) 0x30);
        VariableByteInteger.write(body.remaining(), frame);
        frame.put(body);
        return java.util.Arrays.copyOf(frame.array(), frame.position());
    }

    private static long allocatedBytesOfThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    @DisplayName("v5 one million empty User Properties (5 MB on the wire) decode with less than three times their wire size allocated")
    void userPropertiesStayNearTheirWireSize() {
        byte[] frame = publishWithEmptyUserProperties(1_000_000);
        MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
        decoder.decode(ByteBuffer.wrap(publishWithEmptyUserProperties(10)), V5);   // warm the classes up
        long before = allocatedBytesOfThisThread();
        DecodeResult result = decoder.decode(ByteBuffer.wrap(frame), V5);
        long allocated = allocatedBytesOfThisThread() - before;
        Publish publish = (Publish) assertInstanceOf(DecodeResult.Decoded.class, result).packet();
        assertEquals(1_000_000, publish.properties().users().count());
        assertEquals(5_000_000, publish.properties().users().wireSize());
        // one object per property, as the decoder once made, allocates more than 60 bytes each
        assertTrue(allocated < 3L * frame.length, "allocated " + allocated + " bytes for " + frame.length);
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-17] [MQTT-3.3.2-18] User Properties re-encode unaltered and in order, after the other properties")
    void userPropertiesKeepTheirOrder() {
        Properties mixed = Properties.of(new UserProperty("k", "2"), new IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 9),
                new UserProperty("k", "1"), new IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, 7),
                new UserProperty("a", "\u00e9\uD83D\uDE00"), new IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, 3));
        Publish publish = new Publish("t", new byte[] {1}, QoS.AT_MOST_ONCE, false, false, 0, mixed);
        byte[] bytes = MqttCodec.encodeToBytes(publish, V5);
        Publish back = (Publish) ((DecodeResult.Decoded) MqttCodec.decodeOne(bytes, V5)).packet();
        assertEquals(publish, back);
        assertEquals(List.of(new UserProperty("k", "2"), new UserProperty("k", "1"), new UserProperty("a", "\u00e9\uD83D\uDE00")),
                back.properties().userProperties());
        assertArrayEquals(new int[] {7, 3}, back.properties().subscriptionIdentifiers());
        assertEquals(List.<Property>of(new IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 9),
                new IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, 7), new IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, 3),
                new UserProperty("k", "2"), new UserProperty("k", "1"), new UserProperty("a", "\u00e9\uD83D\uDE00")),
                back.properties().asList());
        assertEquals(9, back.properties().integer(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1));
        assertEquals(7, back.properties().integer(PropertyId.SUBSCRIPTION_IDENTIFIER, -1));
    }

    @Test
    @DisplayName("a User Property no MQTT string can carry is refused when the list is made")
    void invalidUserPropertyRefused() {
        assertThrows(IllegalArgumentException.class, () -> Properties.of(new UserProperty("a\u0000", "")));
        assertThrows(IllegalArgumentException.class, () -> Properties.of(new UserProperty("", "\uD800")));
        assertThrows(IllegalArgumentException.class, () -> Properties.of(new UserProperty("x".repeat(65_536), "")));
    }

    @Test
    @DisplayName("v5 section 2.4 (0x97 Quota exceeded): a packet with more User Properties than the bound is refused, one at the bound is not")
    void boundOnUserProperties() {
        MqttDecoder decoder = new MqttDecoder(1 << 24, 1_000);
        assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(ByteBuffer.wrap(publishWithEmptyUserProperties(1_000)), V5));
        DecodeResult.DecodeError error = assertInstanceOf(DecodeResult.DecodeError.class,
                decoder.decode(ByteBuffer.wrap(publishWithEmptyUserProperties(1_001)), V5));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, error.reason());
        assertEquals("5.0 section 2.4 (0x97, server limit)", error.statement());
        assertTrue(ReasonCode.QUOTA_EXCEEDED.allowedIn(io.checkedmqtt.core.packet.PacketType.DISCONNECT)
                && ReasonCode.QUOTA_EXCEEDED.allowedIn(io.checkedmqtt.core.packet.PacketType.CONNACK));
    }

    @Test
    @DisplayName("v5 a CONNECT's User Properties and its will's count together, and the refusal says it is 5.0 (for its CONNACK 0x97)")
    void connectAndWillCountTogether() {
        List<Property> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(new UserProperty("n" + i, "v"));
        }
        Will will = new Will("w", new byte[0], QoS.AT_MOST_ONCE, false, Properties.of(three));
        Connect connect = new Connect(V5, "c", true, 0, null, null, will, Properties.of(three));
        byte[] bytes = MqttCodec.encodeToBytes(connect, V5);
        assertInstanceOf(DecodeResult.Decoded.class, new MqttDecoder(1 << 20, 6).decode(ByteBuffer.wrap(bytes), null));
        DecodeResult.DecodeError error = assertInstanceOf(DecodeResult.DecodeError.class,
                new MqttDecoder(1 << 20, 5).decode(ByteBuffer.wrap(bytes), null));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, error.reason());
        assertEquals(V5, error.version());
    }
}
