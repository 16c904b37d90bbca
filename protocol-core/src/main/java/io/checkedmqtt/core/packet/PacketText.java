package io.checkedmqtt.core.packet;

import java.util.List;
import java.util.Locale;

/**
 * One control packet as one line of readable text: its type, then {@code name=value} fields in a
 * fixed order (packet identifier, flags, QoS, topic, properties, payload size and first bytes).
 * The line format of the broker's per-client traces and of its {@code --verbose} log, and how a
 * conformance report names the packets involved; it is a user interface, so tests check it
 * character for character (README, "Traces").
 *
 * <pre>
 * PUBLISH id=7 qos=2 dup=0 retain=0 topic="a/b" props={message-expiry-interval=60} payload=5 "hello"
 * PUBACK id=7 rc=0x10 "No matching subscribers"
 * SUBSCRIBE id=2 filters=["a/+" qos=1, "b" qos=2 nl rap rh=2]
 * </pre>
 *
 * Strings are quoted, with {@code "} and {@code \} escaped and control characters as
 * {@code \xNN}; long ones are cut at {@value #MAX_STRING} characters with {@code ...}. A payload
 * shows its size and its first {@value #PREVIEW_BYTES} bytes: as quoted text when they are
 * printable ASCII, else as hex. Passwords and authentication data show only their length.
 */
public final class PacketText {

    /** Payload bytes shown. */
    public static final int PREVIEW_BYTES = 32;
    /** Characters of a topic, filter or property shown before {@code ...}. */
    public static final int MAX_STRING = 200;

    private static final String HEX = "0123456789abcdef";

    private PacketText() {
    }

    /** The packet as one line, without time or direction. */
    public static String of(Packet packet) {
        StringBuilder b = new StringBuilder(96);
        b.append(packet.type());
        if (packet instanceof Publish p) {
            publish(b, p);
        } else if (packet instanceof PubAck p) {
            ack(b, p.packetId(), p.reasonCode(), p.properties());
        } else if (packet instanceof PubRec p) {
            ack(b, p.packetId(), p.reasonCode(), p.properties());
        } else if (packet instanceof PubRel p) {
            ack(b, p.packetId(), p.reasonCode(), p.properties());
        } else if (packet instanceof PubComp p) {
            ack(b, p.packetId(), p.reasonCode(), p.properties());
        } else if (packet instanceof Connect c) {
            connect(b, c);
        } else if (packet instanceof Connack c) {
            b.append(" session-present=").append(bit(c.sessionPresent()));
            b.append(" rc=").append(code(c.reasonCode()));
            properties(b, c.properties());
        } else if (packet instanceof Subscribe s) {
            subscribe(b, s);
        } else if (packet instanceof SubAck s) {
            b.append(" id=").append(s.packetId());
            codes(b, s.reasonCodes());
            properties(b, s.properties());
        } else if (packet instanceof Unsubscribe u) {
            b.append(" id=").append(u.packetId()).append(" filters=[");
            for (int i = 0; i < u.topicFilters().size(); i++) {
                b.append(i == 0 ? "" : ", ");
                quoted(b, u.topicFilters().get(i));
            }
            b.append(']');
            properties(b, u.properties());
        } else if (packet instanceof UnsubAck u) {
            b.append(" id=").append(u.packetId());
            if (!u.reasonCodes().isEmpty()) {
                codes(b, u.reasonCodes());
            }
            properties(b, u.properties());
        } else if (packet instanceof Disconnect d) {
            reason(b, d.reasonCode());
            properties(b, d.properties());
        } else if (packet instanceof Auth a) {
            b.append(" rc=").append(code(a.reasonCode()));
            properties(b, a.properties());
        }
        return b.toString();
    }

    /** A message in a decision line: topic, QoS, flags, payload. */
    public static String message(Publish p) {
        StringBuilder b = new StringBuilder(64);
        b.append("qos=").append(p.qos().value()).append(" retain=").append(bit(p.retain())).append(" topic=");
        quoted(b, p.topic());
        b.append(' ');
        payload(b, p.payload());
        return b.toString();
    }

    /** The protocol version as people write it: 3.1, 3.1.1, 5.0. */
    public static String version(ProtocolVersion version) {
        return switch (version) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
    }

    private static void publish(StringBuilder b, Publish p) {
        if (p.qos() != QoS.AT_MOST_ONCE) {
            b.append(" id=").append(p.packetId());
        }
        b.append(" qos=").append(p.qos().value()).append(" dup=").append(bit(p.dup()))
                .append(" retain=").append(bit(p.retain())).append(" topic=");
        quoted(b, p.topic());
        properties(b, p.properties());
        b.append(' ');
        payload(b, p.payload());
    }

    private static void ack(StringBuilder b, int packetId, ReasonCode reason, Properties properties) {
        b.append(" id=").append(packetId);
        reason(b, reason);
        properties(b, properties);
    }

    private static void connect(StringBuilder b, Connect c) {
        b.append(' ').append(version(c.version())).append(" client-id=");
        quoted(b, c.clientId());
        b.append(" clean=").append(bit(c.cleanStart())).append(" keep-alive=").append(c.keepAliveSeconds());
        if (c.userName() != null) {
            b.append(" user=");
            quoted(b, c.userName());
        }
        if (c.password() != null) {
            b.append(" password=(").append(c.password().length).append(" bytes)");
        }
        properties(b, c.properties());
        Will w = c.will();
        if (w != null) {
            b.append(" will={qos=").append(w.qos().value()).append(" retain=").append(bit(w.retain()))
                    .append(" topic=");
            quoted(b, w.topic());
            properties(b, w.properties());
            b.append(' ');
            payload(b, w.payload());
            b.append('}');
        }
    }

    private static void subscribe(StringBuilder b, Subscribe s) {
        b.append(" id=").append(s.packetId()).append(" filters=[");
        for (int i = 0; i < s.subscriptions().size(); i++) {
            Subscription sub = s.subscriptions().get(i);
            SubscriptionOptions o = sub.options();
            b.append(i == 0 ? "" : ", ");
            quoted(b, sub.topicFilter());
            b.append(" qos=").append(o.maxQos().value());
            if (o.noLocal()) {
                b.append(" nl");
            }
            if (o.retainAsPublished()) {
                b.append(" rap");
            }
            if (o.retainHandling() != SubscriptionOptions.RetainHandling.SEND_ON_SUBSCRIBE) {
                b.append(" rh=").append(o.retainHandling().value());
            }
        }
        b.append(']');
        properties(b, s.properties());
    }

    private static void codes(StringBuilder b, List<ReasonCode> codes) {
        b.append(" codes=[");
        for (int i = 0; i < codes.size(); i++) {
            b.append(i == 0 ? "" : ", ");
            hexByte(b, codes.get(i).value());
        }
        b.append(']');
    }

    /** A reason code that is not 0x00 (success, normal disconnection). */
    private static void reason(StringBuilder b, ReasonCode reason) {
        if (reason.value() != 0) {
            b.append(" rc=").append(code(reason));
        }
    }

    private static String code(ReasonCode reason) {
        StringBuilder b = new StringBuilder(24);
        hexByte(b, reason.value());
        if (reason.value() != 0) {
            b.append(' ');
            quoted(b, reason.specName());
        }
        return b.toString();
    }

    private static void properties(StringBuilder b, Properties properties) {
        if (properties.isEmpty()) {
            return;
        }
        b.append(" props={");
        List<Property> list = properties.asList();
        for (int i = 0; i < list.size(); i++) {
            Property p = list.get(i);
            b.append(i == 0 ? "" : ", ").append(p.id().name().toLowerCase(Locale.ROOT).replace('_', '-')).append('=');
            if (p instanceof Property.IntegerProperty ip) {
                b.append(ip.value());
            } else if (p instanceof Property.StringProperty sp) {
                quoted(b, sp.value());
            } else if (p instanceof Property.BinaryProperty bp) {
                b.append('(').append(bp.value().length).append(" bytes)");
            } else if (p instanceof Property.UserProperty up) {
                quoted(b, up.name());
                b.append(':');
                quoted(b, up.value());
            }
        }
        b.append('}');
    }

    /** {@code payload=N} and the first bytes, as text or hex. */
    static void payload(StringBuilder b, byte[] payload) {
        b.append("payload=").append(payload.length);
        if (payload.length == 0) {
            return;
        }
        int shown = Math.min(payload.length, PREVIEW_BYTES);
        boolean text = true;
        for (int i = 0; i < shown && text; i++) {
            int c = payload[i] & 0xFF;
            text = c >= 0x20 && c < 0x7F || c == '\n' || c == '\r' || c == '\t';
        }
        b.append(' ');
        if (text) {
            b.append('"');
            for (int i = 0; i < shown; i++) {
                escaped(b, (char) (payload[i] & 0xFF));
            }
            b.append('"');
        } else {
            b.append("0x");
            for (int i = 0; i < shown; i++) {
                b.append(HEX.charAt((payload[i] >> 4) & 0xF)).append(HEX.charAt(payload[i] & 0xF));
            }
        }
        if (shown < payload.length) {
            b.append("...");
        }
    }

    /** A string in double quotes, escaped, cut at {@link #MAX_STRING} characters. */
    public static void quoted(StringBuilder b, String s) {
        b.append('"');
        int shown = Math.min(s.length(), MAX_STRING);
        for (int i = 0; i < shown; i++) {
            escaped(b, s.charAt(i));
        }
        b.append('"');
        if (shown < s.length()) {
            b.append("...");
        }
    }

    private static void escaped(StringBuilder b, char c) {
        switch (c) {
            case '"' -> b.append("\\\"");
            case '\\' -> b.append("\\\\");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
                if (c < 0x20 || c == 0x7F) {
                    b.append("\\x");
                    hexDigits(b, c);
                } else {
                    b.append(c);
                }
            }
        }
    }

    private static void hexByte(StringBuilder b, int value) {
        b.append("0x");
        hexDigits(b, value);
    }

    private static void hexDigits(StringBuilder b, int value) {
        b.append(HEX.charAt((value >> 4) & 0xF)).append(HEX.charAt(value & 0xF));
    }

    private static String bit(boolean flag) {
        return flag ? "1" : "0";
    }
}
