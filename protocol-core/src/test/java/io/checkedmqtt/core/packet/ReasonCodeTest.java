package io.checkedmqtt.core.packet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReasonCode#of} agrees with the table of values and allowed packets (5.0 Table 2-6). */
class ReasonCodeTest {

    @Test
    @DisplayName("v5 section 2.4: of(value, packet) finds exactly the codes the table allows in that packet")
    void lookupMatchesTable() {
        int found = 0;
        for (PacketType type : PacketType.values()) {
            for (int value = 0; value <= 255; value++) {
                ReasonCode code = ReasonCode.of(value, type);
                if (code != null) {
                    assertEquals(value, code.value());
                    assertTrue(code.allowedIn(type));
                    found++;
                }
            }
            for (ReasonCode code : ReasonCode.values()) {
                if (code.allowedIn(type)) {
                    assertSame(code, ReasonCode.of(code.value(), type), code + " in " + type);
                }
            }
        }
        long pairs = 0;
        for (ReasonCode code : ReasonCode.values()) {
            for (PacketType type : PacketType.values()) {
                pairs += code.allowedIn(type) ? 1 : 0;
            }
        }
        assertEquals(pairs, found);
    }

    @Test
    @DisplayName("v5 section 2.4: value 0x00 reads as Success, Normal disconnection or Granted QoS 0 by packet")
    void sharedZero() {
        assertSame(ReasonCode.SUCCESS, ReasonCode.of(0, PacketType.PUBACK));
        assertSame(ReasonCode.NORMAL_DISCONNECTION, ReasonCode.of(0, PacketType.DISCONNECT));
        assertSame(ReasonCode.GRANTED_QOS_0, ReasonCode.of(0, PacketType.SUBACK));
    }
}
