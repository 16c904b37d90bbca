package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a report {@link CoreFailureReport} wrote and drives a core with it, to see a failure again
 * in a unit test:
 * <pre>{@code
 * CoreFailureReplay replay = CoreFailureReplay.load(Path.of("/tmp/checked-mqtt-core-failures/core-failure-....txt"));
 * Throwable again = replay.replay(new BrokerCore(replay.config()));   // null once the bug is fixed
 * }</pre>
 * It opens the connection when the report says it was opened, hands the core its CONNECT when it
 * got it, then gives it the failing input at the time it failed, and returns what that (or any
 * step before it) threw.
 */
public final class CoreFailureReplay {

    private final Map<String, String> values;
    private final List<String> settings;

    private CoreFailureReplay(Map<String, String> values, List<String> settings) {
        this.values = values;
        this.settings = settings;
    }

    public static CoreFailureReplay load(Path report) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> settings = new ArrayList<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || !line.contains(": ")) {
                continue;
            }
            String key = line.substring(0, line.indexOf(": "));
            String value = line.substring(line.indexOf(": ") + 2);
            if (key.equals("config")) {
                settings.add(value);
            } else {
                values.put(key, value);
            }
        }
        return new CoreFailureReplay(values, settings);
    }

    /** The core's settings when it failed. */
    public BrokerConfig config() {
        try {
            return ConfigFile.parse(String.join("\n", settings), BrokerSettings.defaults()).core();
        } catch (ConfigFile.ConfigException e) {
            throw new IllegalStateException("the report's settings do not parse", e);
        }
    }

    /** The failure as the report states it: {@code exception class: message}. */
    public String failure() {
        return values.get("failure");
    }

    /** Replays against the real core; returns what the failing input threw, or null when nothing did. */
    public Throwable replay(BrokerCore core) {
        return replay(new BrokerCoreDriver(core));
    }

    Throwable replay(CoreDriver core) {
        String[] input = values.get("input").split(" ", 4);
        ConnectionId connection = values.containsKey("connection")
                ? new ConnectionId(Long.parseLong(values.get("connection"))) : null;
        long failedAt = Long.parseLong(values.get("failed-at"));
        try {
            if (connection != null && !input[0].equals("opened")) {
                core.connectionOpened(connection, Long.parseLong(values.get("opened-at")));
            }
            if (values.containsKey("connect")) {
                core.packetReceived(connection, decode(values.get("connect"), null),
                        Long.parseLong(values.get("connect-at")));
            }
            switch (input[0]) {
                case "packet" -> core.packetReceived(connection,
                        decode(values.get("packet"), ProtocolVersion.valueOf(input[1])), failedAt);
                case "timer" -> core.timerFired(timer(input, connection), failedAt);
                case "malformed" -> core.malformedPacket(connection,
                        ReasonCode.valueOf(input[1]),
                        input.length > 3 ? input[3] : "", input[2].equals("null") ? null : ProtocolVersion.valueOf(input[2]),
                        failedAt);
                case "opened" -> core.connectionOpened(connection, failedAt);
                case "lost" -> core.connectionLost(connection, failedAt);
                case "shutdown" -> core.shutdown(failedAt);
                default -> throw new IllegalArgumentException("unknown input " + values.get("input"));
            }
        } catch (RuntimeException | StackOverflowError e) {
            return e;
        }
        return null;
    }

    private Packet decode(String hex, ProtocolVersion version) {
        byte[] frame = HexFormat.ofDelimiter(" ").parseHex(hex);
        DecodeResult result = new MqttDecoder(Integer.MAX_VALUE).decode(ByteBuffer.wrap(frame), version);
        if (result instanceof DecodeResult.Decoded decoded) {
            return decoded.packet();
        }
        throw new IllegalArgumentException("the report's frame does not decode: " + result);
    }

    private static Timer timer(String[] input, ConnectionId connection) {
        return switch (input[1]) {
            case "KeepAlive" -> new Timer.KeepAlive(connection);
            case "ConnectTimeout" -> new Timer.ConnectTimeout(connection);
            case "Resend" -> new Timer.Resend(input[2]);
            case "WillDelay" -> new Timer.WillDelay(input[2]);
            case "SessionExpiry" -> new Timer.SessionExpiry(input[2]);
            default -> throw new IllegalArgumentException("unknown timer " + input[1]);
        };
    }
}
