package io.checkedmqtt.core.packet;

import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT: the first packet a client sends.
 *
 * @param version        the protocol level the client asks for
 * @param clientId       the Client Identifier; may be empty
 * @param cleanStart     3.1.1 CleanSession, 5.0 Clean Start
 * @param keepAliveSeconds 0..65535; 0 turns keep-alive off
 * @param userName       null when the User Name Flag is 0
 * @param password       null when the Password Flag is 0; read-only
 * @param will           null when the Will Flag is 0
 * @param properties     5.0 CONNECT properties; empty for 3.1 / 3.1.1
 */
public record Connect(ProtocolVersion version, String clientId, boolean cleanStart, int keepAliveSeconds,
                      String userName, byte[] password, Will will, Properties properties) implements Packet {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connect c && version == c.version && clientId.equals(c.clientId)
                && cleanStart == c.cleanStart && keepAliveSeconds == c.keepAliveSeconds
                && Objects.equals(userName, c.userName) && Arrays.equals(password, c.password)
                && Objects.equals(will, c.will) && properties.equals(c.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, clientId, cleanStart, keepAliveSeconds, userName, Arrays.hashCode(password),
                will, properties);
    }

    @Override
    public String toString() {
        return "Connect[" + version + ", clientId=" + clientId + ", cleanStart=" + cleanStart
                + ", keepAlive=" + keepAliveSeconds + ", userName=" + userName
                + (password == null ? "" : ", password=***") + ", will=" + will + ", " + properties + "]";
    }
}
