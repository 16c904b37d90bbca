package io.checkedmqtt.broker.clienttest;

import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.checkedmqtt.testkit.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule grammar's {@code qos} option, and what the injector does with it. */
class FaultRuleTest {

    @Test
    @DisplayName("'qos 1' narrows a PUBLISH rule to QoS 1 messages; without it the rule covers every QoS")
    void qosNarrowsPublishRules() {
        FaultRule qos1 = FaultRule.parse("duplicate PUBLISH out dev-* qos 1");
        assertEquals(1, qos1.qos());
        assertTrue(qos1.covers(publish("t", "m", QoS.AT_LEAST_ONCE, 1), true));
        assertFalse(qos1.covers(publish("t", "m", QoS.EXACTLY_ONCE, 1), true));
        assertFalse(qos1.covers(publish("t", "m", QoS.AT_LEAST_ONCE, 1), false), "an 'out' rule never acts 'in'");

        FaultRule any = FaultRule.parse("duplicate PUBLISH out dev-*");
        assertEquals(FaultRule.ANY_QOS, any.qos());
        assertTrue(any.covers(publish("t", "m", QoS.EXACTLY_ONCE, 1), true));
        assertTrue(FaultRule.parse("drop PUBACK out dev-*").covers(new PubAck(1), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "drop PUBACK out dev-* qos 1",          // a PUBACK has no QoS
            "drop ANY out dev-* qos 1",
            "duplicate PUBLISH out dev-* qos 0",    // nothing resends QoS 0
            "drop PUBLISH out dev-* qos 3",
            "drop PUBLISH out dev-* qos"})
    @DisplayName("a 'qos' the rule cannot use is refused with a message")
    void badQosIsRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultRule.parse(text));
        assertTrue(e.getMessage().contains("qos"), e.getMessage());
    }

    @Test
    @DisplayName("the injector duplicates the QoS 1 PUBLISH a 'qos 1' rule covers and lets the QoS 2 one pass")
    void injectorHonoursQos() {
        FaultInjector injector = new FaultInjector(List.of(FaultRule.parse("duplicate PUBLISH out dev-* qos 1")),
                List.of(), 7);
        assertFalse(injector.outbound("dev-1", publish("t", "m", QoS.EXACTLY_ONCE, 1)).acts());
        FaultInjector.Decision d = injector.outbound("dev-1", publish("t", "m", QoS.AT_LEAST_ONCE, 2));
        assertEquals(FaultRule.Action.DUPLICATE, d.action());
    }
}
