package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.checkedmqtt.core.routing.Fixtures.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicAliasesTest {

    private static Publish withAlias(String topic, int alias) {
        return publish(topic, "x", QoS.AT_MOST_ONCE).withProperties(Properties.of(
                new Property.UserProperty("u", "1"), new Property.IntegerProperty(PropertyId.TOPIC_ALIAS, alias)));
    }

    private static long alias(Publish p) {
        return p.properties().integer(PropertyId.TOPIC_ALIAS, 0);
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-12] the server accepts every alias 1..maximum: set with a topic, then used with an empty topic")
    void inboundSetThenUse() {
        InboundTopicAliases aliases = InboundTopicAliases.forConnection(10);
        InboundTopicAliases.Resolution set = aliases.resolve(withAlias("a/b", 10));
        assertFalse(set.isError());
        assertEquals("a/b", set.publish().topic());
        assertFalse(set.publish().properties().contains(PropertyId.TOPIC_ALIAS));
        assertEquals("1", set.publish().properties().userProperties().get(0).value());
        InboundTopicAliases.Resolution used = set.aliases().resolve(withAlias("", 10));
        assertEquals("a/b", used.publish().topic());
        InboundTopicAliases.Resolution first = set.aliases().resolve(withAlias("c", 1));
        assertEquals("c", first.publish().topic());
    }

    @Test
    @DisplayName("v5 a new mapping for an alias replaces the old one")
    void inboundRemap() {
        InboundTopicAliases a = InboundTopicAliases.forConnection(2).resolve(withAlias("one", 1)).aliases();
        a = a.resolve(withAlias("two", 1)).aliases();
        assertEquals("two", a.resolve(withAlias("", 1)).publish().topic());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-8] alias 0 or above the Topic Alias Maximum: 0x94 Topic Alias invalid")
    void inboundOutOfRange() {
        InboundTopicAliases aliases = InboundTopicAliases.forConnection(5);
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, aliases.resolve(withAlias("a", 0)).error());
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, aliases.resolve(withAlias("a", 6)).error());
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, InboundTopicAliases.forConnection(0).resolve(withAlias("a", 1)).error());
        assertNull(aliases.resolve(withAlias("a", 6)).publish());
    }

    @Test
    @DisplayName("v5 an unknown alias with an empty topic, or an empty topic with no alias: 0x82 Protocol Error")
    void inboundProtocolErrors() {
        InboundTopicAliases aliases = InboundTopicAliases.forConnection(5);
        assertEquals(ReasonCode.PROTOCOL_ERROR, aliases.resolve(withAlias("", 3)).error());
        assertEquals(ReasonCode.PROTOCOL_ERROR, aliases.resolve(publish("", "x", QoS.AT_MOST_ONCE)).error());
        InboundTopicAliases.Resolution plain = aliases.resolve(publish("t", "x", QoS.AT_MOST_ONCE));
        assertSame(aliases, plain.aliases());
        assertEquals("t", plain.publish().topic());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-7] a new connection starts with no mappings")
    void inboundNotCarriedOver() {
        InboundTopicAliases old = InboundTopicAliases.forConnection(5).resolve(withAlias("a", 1)).aliases();
        assertEquals("a", old.topicFor(1));
        assertNull(InboundTopicAliases.forConnection(5).topicFor(1));
        assertEquals(ReasonCode.PROTOCOL_ERROR, InboundTopicAliases.forConnection(5).resolve(withAlias("", 1)).error());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-27] client Topic Alias Maximum 0 or absent: the server sends no alias")
    void outboundNone() {
        OutboundTopicAliases none = OutboundTopicAliases.forConnection(0);
        OutboundTopicAliases.Aliased a = none.apply(publish("t", "x", QoS.AT_MOST_ONCE));
        assertFalse(a.publish().properties().contains(PropertyId.TOPIC_ALIAS));
        assertEquals("t", a.publish().topic());
        assertSame(none, a.aliases());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-26] [MQTT-3.3.2-11] [MQTT-3.3.2-8] outbound aliases are 1..maximum: set once with the topic, then used with an empty topic")
    void outboundPolicy() {
        OutboundTopicAliases aliases = OutboundTopicAliases.forConnection(2);
        OutboundTopicAliases.Aliased a1 = aliases.apply(publish("a", "x", QoS.AT_MOST_ONCE));
        assertEquals("a", a1.publish().topic());
        assertEquals(1, alias(a1.publish()));
        OutboundTopicAliases.Aliased a2 = a1.aliases().apply(publish("a", "x", QoS.AT_MOST_ONCE));
        assertEquals("", a2.publish().topic());
        assertEquals(1, alias(a2.publish()));
        OutboundTopicAliases.Aliased b = a2.aliases().apply(publish("b", "x", QoS.AT_MOST_ONCE));
        assertEquals(2, alias(b.publish()));
        OutboundTopicAliases.Aliased c = b.aliases().apply(publish("c", "x", QoS.AT_MOST_ONCE));
        assertEquals("c", c.publish().topic());
        assertFalse(c.publish().properties().contains(PropertyId.TOPIC_ALIAS), "aliases exhausted: full topic");
        assertEquals(0, c.aliases().aliasOf("c"));
    }

    @Test
    @DisplayName("v5 outbound: a client-side resolution of what the server sends gives back the original topics")
    void outboundRoundTrip() {
        OutboundTopicAliases out = OutboundTopicAliases.forConnection(3);
        InboundTopicAliases in = InboundTopicAliases.forConnection(3);
        String[] topics = {"a", "b", "a", "c", "d", "a", "d", "b"};
        for (String t : topics) {
            OutboundTopicAliases.Aliased sent = out.apply(publish(t, "x", QoS.AT_MOST_ONCE));
            out = sent.aliases();
            InboundTopicAliases.Resolution r = in.resolve(sent.publish());
            assertTrue(!r.isError(), () -> "error " + r.error());
            assertEquals(t, r.publish().topic());
            in = r.aliases();
        }
    }
}
