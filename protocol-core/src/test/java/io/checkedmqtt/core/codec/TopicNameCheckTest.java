package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.topic.TopicFilter;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.checkedmqtt.core.packet.ReasonCode.MALFORMED_PACKET;
import static io.checkedmqtt.core.packet.ReasonCode.PROTOCOL_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker checks a Topic Name in one place, as the decoder reads it, and the strings of names
 * and filters (UTF-8, U+0000, length) in one place too, the decoder's string reader. These are
 * the topic rules of section 4.7 seen from the wire, for both versions.
 */
class TopicNameCheckTest {

    private static DecodeResult decodePublish(String topic, ProtocolVersion v) {
        Publish p = new Publish(topic, new byte[] {1}, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY);
        return MqttCodec.decodeOne(MqttCodec.encodeToBytes(p, v), v);
    }

    private static String topicOf(DecodeResult r) {
        return ((Publish) assertInstanceOf(DecodeResult.Decoded.class, r, r::toString).packet()).topic();
    }

    static Stream<Arguments> validTopics() {
        return ProtocolVersions.bothWith("sport/tennis/player1", "/", "a//b", "//", "$SYS/broker/load",
                "a b/\u00e9/\ud83d\ude00", "$share/g/a");
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("validTopics")
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-1] valid topic names, empty levels and $ topics included, arrive unchanged")
    void validNames(ProtocolVersion v, String topic) {
        assertEquals(topic, topicOf(decodePublish(topic, v)));
    }

    static Stream<Arguments> wildcardTopics() {
        return ProtocolVersions.bothWith("sport/+", "sport/#", "+", "#", "a+b", "a#");
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("wildcardTopics")
    @DisplayName("v5 [MQTT-3.3.2-2] [MQTT-4.7.0-1] and v3.1.1 [MQTT-3.3.2-2] [MQTT-4.7.1-1] a topic name with a wildcard parses, so it is a Protocol Error (5.0 section 1.2), not Malformed")
    void wildcardsRefused(ProtocolVersion v, String topic) {
        DecodeResult.DecodeError e = assertInstanceOf(DecodeResult.DecodeError.class, decodePublish(topic, v));
        assertEquals(PROTOCOL_ERROR, e.reason());
        assertEquals("MQTT-3.3.2-2", e.statement());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-2] a topic name or filter with U+0000 is malformed")
    void nullCharacterRefused(ProtocolVersion v) {
        String statement = v.isV5() ? "MQTT-1.5.4-2" : "MQTT-1.5.3-2";
        String noProperties = v.isV5() ? " 00" : "";
        MalformedInputTest.assertRejected(v, (v.isV5() ? "30 06" : "30 05") + " 00 03 61 00 62" + noProperties,
                MALFORMED_PACKET, statement);
        MalformedInputTest.assertRejected(v, (v.isV5() ? "82 09 00 01 00" : "82 08 00 01") + " 00 03 61 00 62 00",
                MALFORMED_PACKET, statement);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-3] names and filters of 65,535 bytes are the largest; the encoder refuses one byte more")
    void longestNamesAndFilters(ProtocolVersion v) {
        for (String longest : List.of("a".repeat(65_535), "\u20ac".repeat(21_845), "\ud83d\ude00".repeat(16_383))) {
            assertEquals(longest, topicOf(decodePublish(longest, v)));
            Subscribe sub = new Subscribe(1, List.of(new Subscription(longest, SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                    Properties.EMPTY);
            DecodeResult r = MqttCodec.decodeOne(MqttCodec.encodeToBytes(sub, v), v);
            String filter = ((Subscribe) assertInstanceOf(DecodeResult.Decoded.class, r).packet())
                    .subscriptions().get(0).topicFilter();
            assertEquals(longest, filter);
            assertTrue(TopicFilter.isValid(filter));
        }
        for (String tooLong : List.of("a".repeat(65_536), "\u20ac".repeat(21_846), "\ud83d\ude00".repeat(16_384))) {
            assertThrows(IllegalArgumentException.class, () -> decodePublish(tooLong, v));
        }
    }
}
