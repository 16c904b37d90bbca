package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * PUBREL: QoS 2, part 2: publish release. In 3.1.1 the reason code is always {@link ReasonCode#SUCCESS} and there are no
 * properties.
 *
 * @param duplicate a retry of an earlier PUBREL. Only MQTT 3.1 has a place for it: there PUBREL
 *                  is sent at QoS 1 and a retry sets DUP in the fixed header (3.1 sections 2.1 and
 *                  3.6). 3.1.1 and 5.0 fix the flags at 0010 [MQTT-3.6.1-1], so the encoder leaves
 *                  it out for them, as it leaves out what else a version cannot carry.
 */
public record PubRel(int packetId, ReasonCode reasonCode, Properties properties, boolean duplicate) implements Packet {

    public PubRel {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    public PubRel(int packetId, ReasonCode reasonCode, Properties properties) {
        this(packetId, reasonCode, properties, false);
    }

    /** A successful PUBREL with no properties: all that 3.1.1 has. */
    public PubRel(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    /** A successful PUBREL sent again, marked as a retry (MQTT 3.1). */
    public static PubRel retry(int packetId) {
        return new PubRel(packetId, ReasonCode.SUCCESS, Properties.EMPTY, true);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
