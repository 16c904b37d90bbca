package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * 5.0 Payload Format Indicator (section 3.3.2.3.2). Indicator 1 says the payload is UTF-8
 * Encoded Character Data, well-formed per RFC 3629; a receiver may check it and answer
 * {@link ReasonCode#PAYLOAD_FORMAT_INVALID} (0x99) in PUBACK/PUBREC or DISCONNECT. This broker
 * checks. The indicator itself is forwarded unchanged [MQTT-3.3.2-4]; the router never touches it.
 */
public final class PayloadFormat {

    private PayloadFormat() {
    }

    /** Null when the payload agrees with its indicator, else {@link ReasonCode#PAYLOAD_FORMAT_INVALID}. */
    public static ReasonCode validate(Publish publish) {
        long indicator = publish.properties().integer(PropertyId.PAYLOAD_FORMAT_INDICATOR, 0);
        if (indicator == 1 && !isWellFormedUtf8(publish.payload())) {
            return ReasonCode.PAYLOAD_FORMAT_INVALID;
        }
        return null;
    }

    /**
     * RFC 3629 well-formedness: shortest form only, no surrogates (U+D800..U+DFFF), nothing above
     * U+10FFFF. U+0000 is allowed here: the payload is character data, not an MQTT string.
     */
    public static boolean isWellFormedUtf8(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            int cp;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
                cp = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
                cp = b & 0x07;
            } else {
                return false; // a continuation byte, an overlong lead (C0, C1) or F5..FF
            }
            if (i + need >= n) { // truncated sequence
                return false;
            }
            for (int k = 1; k <= need; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += need + 1;
        }
        return true;
    }
}
