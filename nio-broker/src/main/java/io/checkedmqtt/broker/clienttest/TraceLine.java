package io.checkedmqtt.broker.clienttest;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.PacketText;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line of a client's trace and of the {@code --verbose} log: the time (UTC, milliseconds),
 * the client identifier ({@code -} before CONNECT is accepted), the connection, what the line is,
 * and its text:
 *
 * <pre>
 * 2026-12-06T09:00:00.010Z dev-1 conn-3 in    PUBLISH id=1 qos=2 dup=0 retain=0 topic="a/b" payload=5 "hello"
 * 2026-12-06T09:00:00.010Z dev-1 conn-3 core  routed qos=2 retain=0 topic="a/b" payload=5 "hello" (to 1 subscription)
 * 2026-12-06T09:00:00.010Z dev-1 conn-3 out   PUBREC id=1
 * 2026-12-06T09:00:00.020Z dev-1 conn-3 fault drop PUBREL id=1: not sent (rule: drop PUBREL out dev-* count 1)
 * 2026-12-06T09:00:05.020Z dev-1 conn-3 check breach v5 [MQTT-4.4.0-1] ...
 * </pre>
 *
 * {@code in} and {@code out} are packets read and written ({@link PacketText}), {@code core} a
 * decision no packet shows, {@code fault} what a fault rule or probe did to the wire, {@code check}
 * a breach, a probe's verdict or the report at disconnect, {@code net} the connection's end.
 */
public final class TraceLine {

    public enum Kind {
        IN("in   "), OUT("out  "), CORE("core "), FAULT("fault"), CHECK("check"), NET("net  ");

        private final String padded;

        Kind(String padded) {
            this.padded = padded;
        }
    }

    /** Always with milliseconds, so the lines line up. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TraceLine() {
    }

    public static String of(long atMillis, String clientId, ConnectionId connection, Kind kind, String text) {
        StringBuilder b = new StringBuilder(text.length() + 64);
        TIME.formatTo(Instant.ofEpochMilli(atMillis), b);
        b.append(' ');
        client(b, clientId);
        b.append(' ').append(connection == null ? "-" : connection.toString()).append(' ').append(kind.padded)
                .append(' ').append(text);
        return b.toString();
    }

    /** An identifier as it is when it is plain printable ASCII without spaces, else quoted. */
    private static void client(StringBuilder b, String clientId) {
        if (clientId == null) {
            b.append('-');
            return;
        }
        boolean plain = !clientId.isEmpty() && !clientId.equals("-");
        for (int i = 0; i < clientId.length() && plain; i++) {
            char c = clientId.charAt(i);
            plain = c > 0x20 && c < 0x7F && c != '"';
        }
        if (plain) {
            b.append(clientId);
        } else {
            PacketText.quoted(b, clientId);
        }
    }

    /** The text of a {@code core} or {@code check} line for a note of the core. */
    public static String note(Note note) {
        if (note instanceof Note.Decision d) {
            String kind = d.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
            return d.message() == null ? kind + " (" + d.reason() + ")"
                    : kind + " " + PacketText.message(d.message()) + " (" + d.reason() + ")";
        } else if (note instanceof Note.Breach b) {
            return "breach " + b.citation() + " " + b.detail()
                    + (b.packets().isEmpty() ? "" : " | packets: " + String.join(" ; ", b.packets()));
        } else if (note instanceof Note.Verdict v) {
            return "probe." + v.probe() + " " + v.outcome() + " " + (v.version().isV5() ? "v5" : "v3.1.1")
                    + " [" + v.statements() + "] " + v.detail();
        }
        return "report: " + ((Note.Summary) note).text();
    }

    public static Kind kindOf(Note note) {
        return note instanceof Note.Decision ? Kind.CORE : Kind.CHECK;
    }
}
