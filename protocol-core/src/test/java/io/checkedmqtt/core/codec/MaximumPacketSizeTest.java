package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.Property.IntegerProperty;
import io.checkedmqtt.core.packet.Property.StringProperty;
import io.checkedmqtt.core.packet.Property.UserProperty;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.UnsubAck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

import java.util.List;
import java.util.function.Function;

import static io.checkedmqtt.core.packet.ProtocolVersion.MQTT_3_1_1;
import static io.checkedmqtt.core.packet.ProtocolVersion.MQTT_5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

/** Fitting outgoing packets to the peer's Maximum Packet Size (5.0 section 3.1.2.11.4). */
class MaximumPacketSizeTest {

    static final Properties REASON_AND_USER = Properties.of(
            new StringProperty(PropertyId.REASON_STRING, "a reason string that takes some room"),
            new UserProperty("key", "value"));

    static final PubAck ACK = new PubAck(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, REASON_AND_USER);

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] a packet within the limit is sent unchanged")
    void fitsUnchanged() {
        MaximumPacketSize.Fits fits = assertInstanceOf(MaximumPacketSize.Fits.class,
                MaximumPacketSize.fit(ACK, MQTT_5, MaximumPacketSize.UNLIMITED));
        assertSame(ACK, fits.packet());
        assertEquals(MqttEncoder.encodedSize(ACK, MQTT_5), fits.size());
    }

    @Test
    @DisplayName("v5 [MQTT-3.4.2-2] the Reason String is dropped first when the PUBACK would be too large")
    void dropsReasonStringFirst() {
        int withoutReason = MqttEncoder.encodedSize(new PubAck(7, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                Properties.of(new UserProperty("key", "value"))), MQTT_5);
        MaximumPacketSize.Fits fits = assertInstanceOf(MaximumPacketSize.Fits.class,
                MaximumPacketSize.fit(ACK, MQTT_5, withoutReason));
        assertEquals(new PubAck(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.of(new UserProperty("key", "value"))),
                fits.packet());
        assertEquals(withoutReason, fits.size());
    }

    @Test
    @DisplayName("v5 [MQTT-3.4.2-3] then the User Properties are dropped")
    void thenUserProperties() {
        MaximumPacketSize.Fits fits = assertInstanceOf(MaximumPacketSize.Fits.class, MaximumPacketSize.fit(ACK, MQTT_5, 5));
        assertEquals(new PubAck(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), fits.packet());
        assertEquals(5, fits.size());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-19/20] CONNACK keeps its other properties when Reason String and User Properties go")
    void connackKeepsOtherProperties() {
        Connack connack = new Connack(false, ReasonCode.SUCCESS, REASON_AND_USER.with(
                new IntegerProperty(PropertyId.RECEIVE_MAXIMUM, 10)));
        MaximumPacketSize.Fits fits = assertInstanceOf(MaximumPacketSize.Fits.class, MaximumPacketSize.fit(connack, MQTT_5, 10));
        assertEquals(new Connack(false, ReasonCode.SUCCESS, Properties.of(new IntegerProperty(PropertyId.RECEIVE_MAXIMUM, 10))),
                fits.packet());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24/25] a PUBLISH is never trimmed: too large means not sent")
    void publishIsNeverTrimmed() {
        Publish publish = new Publish("t", new byte[100], QoS.AT_LEAST_ONCE, false, false, 1,
                Properties.of(new UserProperty("k", "v")));
        MaximumPacketSize.TooLarge tooLarge = assertInstanceOf(MaximumPacketSize.TooLarge.class,
                MaximumPacketSize.fit(publish, MQTT_5, 50));
        assertSame(publish, tooLarge.packet());
        assertEquals(MqttEncoder.encodedSize(publish, MQTT_5), tooLarge.size());
    }

    @Test
    @DisplayName("v3.1.1 has no properties to drop: a packet over the limit is too large")
    void v311NothingToDrop() {
        assertInstanceOf(MaximumPacketSize.TooLarge.class, MaximumPacketSize.fit(new PubAck(1), MQTT_3_1_1, 3));
        assertInstanceOf(MaximumPacketSize.Fits.class, MaximumPacketSize.fit(new PubAck(1), MQTT_3_1_1, 4));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] for any packet and limit: a fit is within the limit and lost only what may go")
    void anyPacketAnyLimit() {
        qt().withExamples(1_000).forAll(PacketGenerators.packets(MQTT_5), Generate.range(2, 400)).checkAssert((p, limit) -> {
            MaximumPacketSize.Fit fit = MaximumPacketSize.fit(p, MQTT_5, limit);
            if (fit instanceof MaximumPacketSize.Fits fits) {
                assertTrue(fits.size() <= limit);
                assertEquals(MqttEncoder.encodedSize(fits.packet(), MQTT_5), fits.size());
                assertEquals(p.type(), fits.packet().type());
                assertOnlyDroppable(p, fits.packet());
            } else {
                MaximumPacketSize.TooLarge tooLarge = (MaximumPacketSize.TooLarge) fit;
                assertTrue(tooLarge.size() > limit);
            }
        });
    }

    /** The trimmed packet equals the original once Reason String and User Properties are removed from both. */
    private static void assertOnlyDroppable(Packet original, Packet trimmed) {
        byte[] a = MqttCodec.encodeToBytes(strip(original), MQTT_5);
        byte[] b = MqttCodec.encodeToBytes(strip(trimmed), MQTT_5);
        assertEquals(Hex.of(a), Hex.of(b));
    }

    private static Packet strip(Packet p) {
        MaximumPacketSize.Fit bare = MaximumPacketSize.fit(p, MQTT_5, 0);
        return bare instanceof MaximumPacketSize.TooLarge t ? t.packet() : p;
    }

    @Test
    @DisplayName("removing properties keeps every other property in order")
    void keepsOrder() {
        List<Property> list = List.of(new IntegerProperty(PropertyId.SESSION_EXPIRY_INTERVAL, 1),
                new StringProperty(PropertyId.REASON_STRING, "r".repeat(50)), new IntegerProperty(PropertyId.RECEIVE_MAXIMUM, 2),
                new UserProperty("u", "v"), new IntegerProperty(PropertyId.MAXIMUM_QOS, 1));
        Connack c = new Connack(true, ReasonCode.SUCCESS, Properties.of(list));
        Packet fitted = ((MaximumPacketSize.Fits) MaximumPacketSize.fit(c, MQTT_5, 20)).packet();
        assertEquals(Properties.of(list.get(0), list.get(2), list.get(4)), ((Connack) fitted).properties());
    }

    // ---- the same two steps for every other packet that may carry them ----

    /**
     * For the packet {@code make} builds: at the size it has without its Reason String, only the
     * Reason String goes; at the size it has without both, both go and nothing else; one byte less
     * and it does not fit at all.
     */
    private static void assertReasonThenUserPropertiesDropped(Function<Properties, Packet> make) {
        Properties userOnly = Properties.of(new UserProperty("key", "value"));
        Packet full = make.apply(REASON_AND_USER);
        Packet withoutReason = make.apply(userOnly);
        Packet bare = make.apply(Properties.EMPTY);
        int withoutReasonSize = MqttEncoder.encodedSize(withoutReason, MQTT_5);
        int bareSize = MqttEncoder.encodedSize(bare, MQTT_5);
        assertTrue(bareSize < withoutReasonSize && withoutReasonSize < MqttEncoder.encodedSize(full, MQTT_5));

        MaximumPacketSize.Fits first = assertInstanceOf(MaximumPacketSize.Fits.class,
                MaximumPacketSize.fit(full, MQTT_5, withoutReasonSize));
        assertEquals(withoutReason, first.packet(), "the Reason String goes first, the User Property stays");
        MaximumPacketSize.Fits second = assertInstanceOf(MaximumPacketSize.Fits.class,
                MaximumPacketSize.fit(full, MQTT_5, bareSize));
        assertEquals(bare, second.packet(), "then the User Properties, and nothing else");
        assertEquals(bareSize, second.size());
        assertInstanceOf(MaximumPacketSize.TooLarge.class, MaximumPacketSize.fit(full, MQTT_5, bareSize - 1));
    }

    @Test
    @DisplayName("v5 [MQTT-3.5.2-2] [MQTT-3.5.2-3] PUBREC drops its Reason String, then its User Properties, to fit")
    void pubRecTrimmed() {
        assertReasonThenUserPropertiesDropped(p -> new PubRec(9, ReasonCode.NO_MATCHING_SUBSCRIBERS, p));
    }

    @Test
    @DisplayName("v5 [MQTT-3.6.2-2] [MQTT-3.6.2-3] PUBREL drops its Reason String, then its User Properties, to fit")
    void pubRelTrimmed() {
        assertReasonThenUserPropertiesDropped(p -> new PubRel(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p));
    }

    @Test
    @DisplayName("v5 [MQTT-3.7.2-2] [MQTT-3.7.2-3] PUBCOMP drops its Reason String, then its User Properties, to fit")
    void pubCompTrimmed() {
        assertReasonThenUserPropertiesDropped(p -> new PubComp(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p));
    }

    @Test
    @DisplayName("v5 [MQTT-3.9.2-1] [MQTT-3.9.2-2] SUBACK drops its Reason String, then its User Properties, to fit")
    void subAckTrimmed() {
        assertReasonThenUserPropertiesDropped(p -> new SubAck(9, List.of(ReasonCode.GRANTED_QOS_1,
                ReasonCode.TOPIC_FILTER_INVALID), p));
    }

    @Test
    @DisplayName("v5 [MQTT-3.11.2-1] [MQTT-3.11.2-2] UNSUBACK drops its Reason String, then its User Properties, to fit")
    void unsubAckTrimmed() {
        assertReasonThenUserPropertiesDropped(p -> new UnsubAck(9, List.of(ReasonCode.SUCCESS,
                ReasonCode.NO_SUBSCRIPTION_EXISTED), p));
    }

    @Test
    @DisplayName("v5 [MQTT-3.14.2-3] [MQTT-3.14.2-4] DISCONNECT drops its Reason String, then its User Properties, to fit")
    void disconnectTrimmed() {
        assertReasonThenUserPropertiesDropped(p -> new Disconnect(ReasonCode.SESSION_TAKEN_OVER, p));
    }

    @Test
    @DisplayName("v5 [MQTT-3.15.2-2] [MQTT-3.15.2-3] AUTH drops its Reason String, then its User Properties, to fit")
    void authTrimmed() {
        assertReasonThenUserPropertiesDropped(p -> new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                p.with(new StringProperty(PropertyId.AUTHENTICATION_METHOD, "M"))));
    }
}
