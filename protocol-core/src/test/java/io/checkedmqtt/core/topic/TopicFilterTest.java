package io.checkedmqtt.core.topic;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttCodec;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

class TopicFilterTest {

    static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis/player1", "sport/tennis/+", "sport/#", "#", "+", "+/+", "/+", "a//b", "/",
            "+/tennis/#", "$SYS/#", "sport/+/player1", "//", "$share", "$shared/g/a", "$share/g/sport/#", "$share/g/+",
            "$share/g/#", "$share/g//"})
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.1-3] well-formed filters pass the syntax check in both versions")
    void validFilters(String filter) {
        assertNull(TopicFilter.syntaxError(filter, V5));
        assertNull(TopicFilter.syntaxError(filter, V311));
        assertTrue(TopicFilter.isValid(filter));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "sport+      | '+' is not a whole level [v5 MQTT-4.7.1-2] | '+' is not a whole level [v3.1.1 MQTT-4.7.1-3]",
            "+a          | '+' is not a whole level [v5 MQTT-4.7.1-2] | '+' is not a whole level [v3.1.1 MQTT-4.7.1-3]",
            "a/+b/c      | '+' is not a whole level [v5 MQTT-4.7.1-2] | '+' is not a whole level [v3.1.1 MQTT-4.7.1-3]",
            "++          | '+' is not a whole level [v5 MQTT-4.7.1-2] | '+' is not a whole level [v3.1.1 MQTT-4.7.1-3]",
            "a/#/b       | '#' is not a whole last level [v5 MQTT-4.7.1-1] | '#' is not a whole last level [v3.1.1 MQTT-4.7.1-2]",
            "#/a         | '#' is not a whole last level [v5 MQTT-4.7.1-1] | '#' is not a whole last level [v3.1.1 MQTT-4.7.1-2]",
            "a#          | '#' is not a whole last level [v5 MQTT-4.7.1-1] | '#' is not a whole last level [v3.1.1 MQTT-4.7.1-2]",
            "#/          | '#' is not a whole last level [v5 MQTT-4.7.1-1] | '#' is not a whole last level [v3.1.1 MQTT-4.7.1-2]",
            "##          | '#' is not a whole last level [v5 MQTT-4.7.1-1] | '#' is not a whole last level [v3.1.1 MQTT-4.7.1-2]",
            "a/#b        | '#' is not a whole last level [v5 MQTT-4.7.1-1] | '#' is not a whole last level [v3.1.1 MQTT-4.7.1-2]"})
    @DisplayName("v5 [MQTT-4.7.1-1] [MQTT-4.7.1-2] v3.1.1 [MQTT-4.7.1-2] [MQTT-4.7.1-3] a misplaced wildcard is a syntax error, named by each version's statement")
    void misplacedWildcards(String filter, String v5, String v311) {
        assertEquals(v5, TopicFilter.syntaxError(filter, V5));
        assertEquals(v311, TopicFilter.syntaxError(filter, V311));
        assertEquals(v311, TopicFilter.syntaxError(filter, ProtocolVersion.MQTT_3_1));
        assertFalse(TopicFilter.isValid(filter));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "$share//a     | the ShareName is empty [v5 MQTT-4.8.2-1]",
            "$share/g      | no '/' and Topic Filter after the ShareName [v5 MQTT-4.8.2-2]",
            "$share/g+/a   | the ShareName contains '+' [v5 MQTT-4.8.2-2]",
            "$share/g#/a   | the ShareName contains '#' [v5 MQTT-4.8.2-2]",
            "$share/g/     | after the ShareName, the Topic Filter is empty [MQTT-4.7.3-1] [v5 MQTT-4.8.2-2]",
            "$share/g/a/#/b | after the ShareName, '#' is not a whole last level [v5 MQTT-4.7.1-1] [v5 MQTT-4.8.2-2]"})
    @DisplayName("v5 [MQTT-4.8.2-1] [MQTT-4.8.2-2] a $share/ filter without the Shared Subscription form is a syntax error in 5.0")
    void malformedSharedV5(String filter, String v5) {
        assertEquals(v5, TopicFilter.syntaxError(filter, V5));
        assertFalse(TopicFilter.isValid(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share//a", "$share/g", "$share/g/"})
    @DisplayName("v3.1.1 [MQTT-4.7.1-2] [MQTT-4.7.1-3] 3.1.1 has no Shared Subscriptions: $share//a is an ordinary, well-formed filter there")
    void shareFormIsNoSyntaxIn311(String filter) {
        assertNull(TopicFilter.syntaxError(filter, V311));
        assertNull(SharedSubscription.parse(filter), "but not a shared subscription either");
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-1] the empty filter is a syntax error in both versions")
    void empty() {
        assertEquals("the Topic Filter is empty [MQTT-4.7.3-1]", TopicFilter.syntaxError("", V5));
        assertEquals("the Topic Filter is empty [MQTT-4.7.3-1]", TopicFilter.syntaxError("", V311));
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-1] an empty filter is invalid (the decoder has checked the string rules, see TopicNameCheckTest)")
    void emptyFilter() {
        assertFalse(TopicFilter.isValid(""));
        assertTrue(TopicFilter.isValid("a".repeat(65_535)));
    }

    @ParameterizedTest
    @CsvSource({
            "sport/tennis/player1/#, sport/tennis/player1, true",
            "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
            "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon, true",
            "sport/#, sport, true",
            "sport/#, sport/, true",
            "#, sport, true",
            "#, /, true",
            "sport/tennis/+, sport/tennis/player1, true",
            "sport/tennis/+, sport/tennis/player1/ranking, false",
            "sport/+, sport, false",
            "sport/+, sport/, true",
            "+/+, /finance, true",
            "/+, /finance, true",
            "+, /finance, false",
            "+, a, true",
            "a//b, a//b, true",
            "a/+/b, a//b, true",
            "a/b, a//b, false",
            "/, /, true",
            "+/, a/, true",
            "+/#, a, true",
            "sport/tennis, Sport/tennis, false",
            "sport/tennis, sport/tennis/, false",
    })
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-4] [MQTT-3.3.2-3] the spec's matching examples, empty levels, no normalisation")
    void matching(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.matches(filter, topic));
    }

    @ParameterizedTest
    @CsvSource({
            "#, $SYS/broker/load, false",
            "+/monitor/Clients, $SYS/monitor/Clients, false",
            "$SYS/#, $SYS/monitor/Clients, true",
            "$SYS/monitor/+, $SYS/monitor/Clients, true",
            "+, $SYS, false",
            "a/#, a/$b, true",
            "a/+, a/$b, true",
    })
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.2-1] filters starting with a wildcard do not match $ topics")
    void dollarTopics(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.matches(filter, topic));
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-4] matches() agrees with a split-based reference for arbitrary filters and topics")
    void matchesAgreesWithReference() {
        qt().withExamples(5_000).forAll(TopicGenerators.filters(), TopicGenerators.topics())
                .check((f, t) -> TopicFilter.matches(f, t) == TopicGenerators.naiveMatches(f, t));
    }

    @Test
    @DisplayName("generated filters are valid filters and generated topics names the decoder accepts (the generators feed the index properties)")
    void generatorsProduceValidInput() {
        qt().withExamples(2_000).forAll(TopicGenerators.subscriptionFilters(), TopicGenerators.topics())
                .check((f, t) -> TopicFilter.isValid(f) && MqttCodec.decodeOne(MqttCodec.encodeToBytes(
                        new Publish(t, new byte[0], QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY),
                        ProtocolVersion.MQTT_5), ProtocolVersion.MQTT_5) instanceof DecodeResult.Decoded);
    }

    @Test
    @DisplayName("hasWildcard sees '+' and '#'")
    void wildcardDetection() {
        assertTrue(TopicFilter.hasWildcard("a/+"));
        assertTrue(TopicFilter.hasWildcard("#"));
        assertFalse(TopicFilter.hasWildcard("a/b"));
    }
}
