package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.effect.ClientRule;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.session.SessionTransitions;

/**
 * Which closes of a watched client's connection the client caused by breaking a statement, and
 * which statement: the one the check that closed it named ({@code [MQTT-x.x.x-y] ...} at the
 * start of the detail, as the decoder writes it), or the one the reason code stands for. A close
 * the client asked for (its DISCONNECT), a take-over, a shutdown, a rate cap or a probe's cut is
 * not a breach.
 */
final class Closes {

    private Closes() {
    }

    static void judge(ReasonCode reason, String detail, Findings out) {
        if (SessionTransitions.CLIENT_DISCONNECTED.equals(detail)) {
            return;
        }
        if (reason == ReasonCode.KEEP_ALIVE_TIMEOUT) {
            out.breach(ClientRule.KEEP_ALIVE_EXCEEDED, "no packet from the client for 1.5 x Keep Alive: the broker"
                    + " closed the connection");
            return;
        }
        if (!causedByClient(reason)) {
            return;
        }
        String text = detail == null ? "" : detail;
        out.breachOf(ClientRule.PROTOCOL_VIOLATION, statement(reason, text, out.version().isV5()),
                "closed with " + reason + (text.isEmpty() ? "" : ": " + text));
    }

    private static boolean causedByClient(ReasonCode reason) {
        return switch (reason) {
            case MALFORMED_PACKET, PROTOCOL_ERROR, RECEIVE_MAXIMUM_EXCEEDED, TOPIC_ALIAS_INVALID, PACKET_TOO_LARGE,
                    RETAIN_NOT_SUPPORTED, QOS_NOT_SUPPORTED, TOPIC_NAME_INVALID, TOPIC_FILTER_INVALID,
                    PAYLOAD_FORMAT_INVALID -> true;
            default -> false;
        };
    }

    /** The statement a close names, or the one its reason stands for, or empty. */
    static String statement(ReasonCode reason, String detail, boolean v5) {
        if (detail.startsWith("[MQTT-")) {
            int end = detail.indexOf(']');
            if (end > 0) {
                return detail.substring(1, end);
            }
        }
        if (detail.contains("second CONNECT")) {
            return "MQTT-3.1.0-2";
        }
        if (detail.contains("UNSUBSCRIBE without filters")) {
            return "MQTT-3.10.3-2";
        }
        if (detail.contains("SUBSCRIBE without filters")) {
            return v5 ? "MQTT-3.8.3-2" : "MQTT-3.8.3-3";
        }
        if (!v5) {
            return "";
        }
        return switch (reason) {
            case RECEIVE_MAXIMUM_EXCEEDED -> "MQTT-3.3.4-7";
            case RETAIN_NOT_SUPPORTED -> "MQTT-3.2.2-14";
            case QOS_NOT_SUPPORTED -> "MQTT-3.2.2-11";
            case PACKET_TOO_LARGE -> "MQTT-3.2.2-15";
            default -> "";
        };
    }
}
