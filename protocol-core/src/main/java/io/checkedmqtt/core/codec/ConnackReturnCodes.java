package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.ReasonCode;

/**
 * The 3.1.1 CONNACK return codes (section 3.2.2.3, Table 3.1) and the 5.0 reason codes that
 * stand for them in the core.
 */
public final class ConnackReturnCodes {

    private ConnackReturnCodes() {
    }

    /** The reason code for a 3.1.1 return code 0..5, or null for a reserved value. */
    public static ReasonCode fromReturnCode(int returnCode) {
        return switch (returnCode) {
            case 0 -> ReasonCode.SUCCESS;
            case 1 -> ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> ReasonCode.SERVER_UNAVAILABLE;
            case 4 -> ReasonCode.BAD_USER_NAME_OR_PASSWORD;
            case 5 -> ReasonCode.NOT_AUTHORIZED;
            default -> null;
        };
    }

    /**
     * The 3.1.1 return code that says the same as a 5.0 reason code, or -1 when none fits: the
     * server then closes the connection without a CONNACK [MQTT-3.2.2-6 in 3.1.1]. Codes with a
     * near equivalent map onto it (Banned is "not authorized", Server busy is "server unavailable").
     */
    public static int returnCode(ReasonCode reason) {
        return switch (reason) {
            case SUCCESS -> 0;
            case UNSUPPORTED_PROTOCOL_VERSION -> 1;
            case CLIENT_IDENTIFIER_NOT_VALID -> 2;
            case SERVER_UNAVAILABLE, SERVER_BUSY, USE_ANOTHER_SERVER, SERVER_MOVED, CONNECTION_RATE_EXCEEDED -> 3;
            case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> 4;
            case NOT_AUTHORIZED, BANNED -> 5;
            default -> -1;
        };
    }

    /** {@link #returnCode}, refusing codes that 3.1.1 cannot express. */
    static int returnCodeOf(ReasonCode reason) {
        int code = returnCode(reason);
        if (code < 0) {
            throw new IllegalArgumentException(reason + " has no 3.1.1 CONNACK return code; close without CONNACK "
                    + "[MQTT-3.2.2-6 in 3.1.1]");
        }
        return code;
    }
}
