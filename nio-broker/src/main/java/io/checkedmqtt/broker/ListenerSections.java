package io.checkedmqtt.broker;

import io.checkedmqtt.broker.tls.TlsSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The listener sections of a config file, as Mosquitto reads them: {@code listener PORT [ADDRESS]}
 * starts a listener, and the listener settings after it ({@link #KEYS}) apply to it until the next
 * {@code listener} line. Listener settings before any {@code listener} line apply to the default
 * listener on {@code port}, as in Mosquitto. Every other setting is global wherever it stands.
 *
 * <p>How sections become {@link BrokerSettings}: without a {@code port} line, the first plain MQTT
 * section is the broker's plain listener ({@code port} and, when given, {@code bind_address}); a
 * file that declares only other listeners opens only those. The rest become
 * {@link BrokerSettings#listeners()}. A listener without an address binds {@code bind_address}
 * (127.0.0.1 by default, where Mosquitto binds every interface: a test broker should not be
 * reachable from the network unless asked).
 */
final class ListenerSections {

    static final Set<String> KEYS = Set.of("protocol", "certfile", "keyfile", "cafile", "require_certificate",
            "tls_version", "keystore", "keystore_password", "websocket_path");

    /** One {@code listener} line (or the top of the file) and the listener settings that follow it. */
    private static final class Section {
        final int line;
        final int port;
        final String address;
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, Integer> lineOf = new LinkedHashMap<>();

        Section(int line, int port, String address) {
            this.line = line;
            this.port = port;
            this.address = address;
        }
    }

    private final String source;
    private final List<Section> sections = new ArrayList<>();
    private final Section top = new Section(0, -1, null);

    ListenerSections(String source) {
        this.source = source;
    }

    void startListener(String value, int line) throws ConfigFile.ConfigException {
        String[] parts = value.split("\\s+");
        if (parts.length > 2) {
            throw new ConfigFile.ConfigException(source + ":" + line + ": listener takes PORT [ADDRESS], got '" + value + "'");
        }
        int port;
        try {
            port = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigFile.ConfigException(source + ":" + line + ": listener port must be in 0..65535, was '"
                    + parts[0] + "'");
        }
        sections.add(new Section(line, port, parts.length > 1 ? parts[1] : null));
    }

    void put(String key, String value, int line) {
        Section section = sections.isEmpty() ? top : sections.get(sections.size() - 1);
        section.values.put(key, value);
        section.lineOf.put(key, line);
    }

    /** {@code settings} with the listeners of the file; {@code portLine}: whether the file set {@code port}. */
    BrokerSettings applyTo(BrokerSettings settings, boolean portLine) throws ConfigFile.ConfigException {
        BrokerSettings.Builder builder = settings.toBuilder();
        List<ListenerSettings> listeners = new ArrayList<>(settings.listeners());
        boolean plainTaken = portLine;
        if (!top.values.isEmpty()) {
            // Mosquitto's default listener with settings of its own: it is no longer plain
            listeners.add(listener(top, settings.port(), null));
            builder.plainListener(false);
            plainTaken = true;
        }
        for (Section section : sections) {
            ListenerSettings listener = listener(section, section.port, section.address);
            if (!plainTaken && listener.tls() == null && listener.protocol() == ListenerSettings.Protocol.MQTT) {
                builder.port(section.port);
                if (section.address != null) {
                    builder.bindAddress(section.address);
                }
                plainTaken = true;
            } else {
                listeners.add(listener);
            }
        }
        if (!plainTaken && !sections.isEmpty()) {
            builder.plainListener(false);
        }
        try {
            return builder.listeners(listeners).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigFile.ConfigException(source + ": " + e.getMessage());
        }
    }

    private ListenerSettings listener(Section section, int port, String address) throws ConfigFile.ConfigException {
        ConfigFile.Values in = new ConfigFile.Values(section.values,
                key -> source + ":" + section.lineOf.get(key) + " (listener "
                        + (section.line == 0 ? "default" : "on line " + section.line) + ")");
        String protocolText = in.string("protocol", "mqtt").toLowerCase(Locale.ROOT);
        ListenerSettings.Protocol protocol = switch (protocolText) {
            case "mqtt" -> ListenerSettings.Protocol.MQTT;
            case "websockets" -> ListenerSettings.Protocol.WEBSOCKETS;
            default -> throw new ConfigFile.ConfigException(in.where().of("protocol")
                    + ": protocol must be mqtt or websockets, was '" + protocolText + "'");
        };
        TlsSettings tls = null;
        boolean anyTls = section.values.keySet().stream()
                .anyMatch(key -> !key.equals("protocol") && !key.equals("websocket_path"));
        String at = source + ":" + (section.line == 0 ? "" : section.line + ":") + " listener " + port;
        if (anyTls) {
            try {
                tls = new TlsSettings(path(in, "certfile"), path(in, "keyfile"), path(in, "cafile"),
                        in.bool("require_certificate", false), in.string("tls_version", null),
                        path(in, "keystore"), in.string("keystore_password", null));
            } catch (IllegalArgumentException e) {
                throw new ConfigFile.ConfigException(at + ": " + e.getMessage());
            }
        }
        try {
            return new ListenerSettings(port, address, protocol, tls, in.string("websocket_path", null));
        } catch (IllegalArgumentException e) {
            throw new ConfigFile.ConfigException(at + ": " + e.getMessage());
        }
    }

    private static Path path(ConfigFile.Values in, String key) {
        String text = in.string(key, null);
        return text == null ? null : Path.of(text);
    }
}
