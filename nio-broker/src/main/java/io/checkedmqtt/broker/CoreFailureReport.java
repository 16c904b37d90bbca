package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes what is needed to replay a failed core step: one small text file per failure, in the
 * directory of {@code core_failure_dir}. The core is pure and deterministic, so the inputs that led
 * to a failure are enough to see it again in a unit test. Keeping every input of every connection
 * would cost memory on the hot path for a rare event, so the report holds what is cheap to have:
 * the core's settings, the connection's CONNECT (the shell keeps a reference to the decoded packet;
 * its password is masked), and the failing input, with the times the core was given. Packets are
 * written as their wire bytes, re-encoded from what the core received (the codec gives back the
 * same packet from them).
 *
 * <p>Format, one {@code key: value} per line; {@code #} lines are comments:
 * <pre>
 * failure: java.lang.IllegalStateException: ...
 * connection: 7
 * opened-at: 1000
 * connect-at: 1002
 * connect: 10 0f 00 04 4d 51 54 54 05 ...
 * failed-at: 1500
 * input: packet MQTT_5
 * packet: 30 07 00 01 74 00 68 69
 * config: max_packet_size 268435455
 * </pre>
 * The input is {@code packet VERSION} (with a {@code packet:} line), {@code timer KIND [CLIENT]},
 * {@code malformed REASON_CODE_NAME VERSION DETAIL}, {@code opened}, {@code lost} or {@code shutdown}. The test helper
 * {@code CoreFailureReplay} reads it back and drives a core with it.
 */
final class CoreFailureReport {

    /** A flood of one bug must not fill the disk: after this many reports, failures are only logged. */
    static final int MAX_REPORTS = 100;
    /** Packets larger than this are noted, not written (a 256 MB PUBLISH would be half a gigabyte of hex). */
    static final int MAX_FRAME_BYTES = 16 << 20;

    private final Path directory;
    private final BrokerConfig config;
    private int written;

    /** @param directory where reports go, created when needed; null writes none */
    CoreFailureReport(Path directory, BrokerConfig config) {
        this.directory = directory;
        this.config = config;
    }

    /**
     * Writes the report of one failure and returns where, or a note saying why none was written.
     *
     * @param connection the connection the input concerned, or null
     * @param input      the input line ({@code packet MQTT_5}, {@code timer KeepAlive}, ...)
     * @param packet     the failing packet, or null when the input was no packet
     */
    String write(Connection connection, String input, Packet packet, Throwable failure, long now) {
        if (directory == null) {
            return "no reproducer (core_failure_dir none)";
        }
        if (written >= MAX_REPORTS) {
            return "no reproducer (" + MAX_REPORTS + " written already)";
        }
        List<String> lines = new ArrayList<>();
        lines.add("# Checked MQTT: a core step failed at " + Instant.now() + "; replay it with CoreFailureReplay");
        lines.add("failure: " + oneLine(failure.toString()));
        for (StackTraceElement frame : Arrays.asList(failure.getStackTrace()).subList(0,
                Math.min(12, failure.getStackTrace().length))) {
            lines.add("#   at " + frame);
        }
        if (connection != null) {
            lines.add("# " + oneLine(connection.describe()));
            lines.add("connection: " + connection.id.value());
            lines.add("opened-at: " + connection.openedAtMillis);
            if (connection.connect != null && connection.connect != packet) {
                lines.add("connect-at: " + connection.connectAtMillis);
                lines.add("connect: " + hex(masked(connection.connect), connection.connect.version()));
            }
        }
        lines.add("failed-at: " + now);
        lines.add("input: " + oneLine(input));
        if (packet != null) {
            lines.add("packet: " + hex(packet instanceof Connect c ? masked(c) : packet, versionOf(connection, packet)));
        }
        for (String setting : ConfigFile.coreSettings(config)) {
            lines.add("config: " + setting);
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("core-failure-" + now + "-" + (connection == null ? "broker"
                    : connection.id.value()) + "-" + written + ".txt");
            Files.write(file, lines, StandardCharsets.UTF_8);
            written++;
            return "reproducer " + file;
        } catch (IOException | RuntimeException e) {
            return "no reproducer (" + e + ")";
        }
    }

    /** The version a packet from this connection is written in: a CONNECT states its own. */
    static ProtocolVersion versionOf(Connection connection, Packet packet) {
        if (packet instanceof Connect c) {
            return c.version();
        }
        return connection == null ? ProtocolVersion.MQTT_3_1_1 : connection.encodeVersion();
    }

    /** The CONNECT with its password replaced by as many '*': the file may be read by others. */
    private static Connect masked(Connect c) {
        if (c.password() == null) {
            return c;
        }
        byte[] stars = new byte[c.password().length];
        Arrays.fill(stars, (byte) '*');
        return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), c.userName(), stars,
                c.will(), c.properties());
    }

    private static String hex(Packet packet, ProtocolVersion version) {
        try {
            int size = MqttEncoder.encodedSize(packet, version);
            if (size > MAX_FRAME_BYTES) {
                return "(a frame of " + size + " bytes, not written)";
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            MqttEncoder.encode(packet, version, out);
            return HexFormat.ofDelimiter(" ").formatHex(out.array());
        } catch (RuntimeException e) {
            return "(cannot be encoded: " + oneLine(e.toString()) + ")";
        }
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
