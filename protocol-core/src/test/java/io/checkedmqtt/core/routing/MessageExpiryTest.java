package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.checkedmqtt.core.routing.Fixtures.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

class MessageExpiryTest {

    private static Publish expiring(long seconds) {
        return publish("t", "x", QoS.AT_LEAST_ONCE).withProperties(Properties.of(
                new Property.UserProperty("a", "b"),
                new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds)));
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] a message whose interval has passed is not delivered")
    void expired() {
        Publish p = expiring(10);
        assertFalse(MessageExpiry.isExpired(p, 5_000, 15_000));
        assertTrue(MessageExpiry.isExpired(p, 5_000, 15_001));
        assertNull(MessageExpiry.forDelivery(p, 5_000, 15_001));
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-6] the interval sent is the received one minus the time waited in the server")
    void remaining() {
        Publish p = expiring(10);
        assertSame(p, MessageExpiry.forDelivery(p, 0, 0));
        assertEquals(9, MessageExpiry.intervalSeconds(MessageExpiry.forDelivery(p, 0, 1)),
                "partial seconds round down: 9.999 s are left, so 10 would be more than is left");
        assertEquals(9, MessageExpiry.intervalSeconds(MessageExpiry.forDelivery(p, 0, 1_000)));
        assertEquals(0, MessageExpiry.intervalSeconds(MessageExpiry.forDelivery(p, 0, 9_500)), "the last second");
        assertEquals(0, MessageExpiry.intervalSeconds(MessageExpiry.forDelivery(p, 0, 10_000)), "not yet passed");
        Publish later = MessageExpiry.forDelivery(p, 0, 4_000);
        assertEquals("b", later.properties().userProperties().get(0).value(), "other properties are kept");
    }

    @Test
    @DisplayName("v5 a message without Message Expiry Interval never expires")
    void noExpiry() {
        Publish p = publish("t", "x", QoS.AT_MOST_ONCE);
        assertFalse(MessageExpiry.isExpired(p, 0, Long.MAX_VALUE / 2));
        assertSame(p, MessageExpiry.forDelivery(p, 0, Long.MAX_VALUE / 2));
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-6] the remaining interval never exceeds the received one nor the true time left, and falls short of it by less than a second")
    void remainingIsBounded() {
        qt().forAll(longs().between(0, 4_294_967_295L), longs().between(0, 5_000_000_000_000L)).check((interval, waited) -> {
            Publish out = MessageExpiry.forDelivery(expiring(interval), 1_000, 1_000 + waited);
            if (waited > interval * 1000) {
                return out == null;
            }
            long left = MessageExpiry.intervalSeconds(out);
            return left <= interval && left * 1000 <= interval * 1000 - waited && (left + 1) * 1000 > interval * 1000 - waited;
        });
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-6] a resend carries the seconds left at the resend, 0 once they ran out; without an interval nothing changes")
    void resendCarriesWhatIsLeft() {
        Publish firstSent = expiring(10);   // sent with 10 s left; it expires at 15,000
        long expiresAt = MessageExpiry.expiresAt(expiring(10), 5_000);
        assertEquals(15_000, expiresAt);
        assertEquals(7, MessageExpiry.intervalSeconds(MessageExpiry.forResend(firstSent, expiresAt, 7_500)));
        assertEquals(0, MessageExpiry.intervalSeconds(MessageExpiry.forResend(firstSent, expiresAt, 14_999)));
        assertEquals(0, MessageExpiry.intervalSeconds(MessageExpiry.forResend(firstSent, expiresAt, 90_000)),
                "expired while it waited: sent again, saying no time is left");
        Publish plain = publish("t", "x", QoS.AT_LEAST_ONCE);
        assertEquals(MessageExpiry.NEVER, MessageExpiry.expiresAt(plain, 5_000));
        assertSame(plain, MessageExpiry.forResend(plain, MessageExpiry.NEVER, 90_000));
    }
}
