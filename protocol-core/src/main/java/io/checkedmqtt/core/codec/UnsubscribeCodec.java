package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Unsubscribe;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** UNSUBSCRIBE (3.1.1 section 3.10, 5.0 section 3.10): at least one Topic Filter [MQTT-3.10.3-2]. */
final class UnsubscribeCodec {

    private UnsubscribeCodec() {
    }

    static Unsubscribe decode(ByteBuffer in, ProtocolVersion version) {
        int packetId = WireReader.packetId(in, version);
        Properties properties = version.isV5() ? PropertiesCodec.read(in, PropertyLocation.UNSUBSCRIBE) : Properties.EMPTY;
        if (!in.hasRemaining()) {
            throw DecodeFailure.protocolError("MQTT-3.10.3-2", "UNSUBSCRIBE has no Topic Filter");
        }
        List<String> filters = new ArrayList<>();
        while (in.hasRemaining()) {
            filters.add(WireReader.utf8(in, version, "Topic Filter"));
        }
        return new Unsubscribe(packetId, filters, properties);
    }

    static int remainingLength(Unsubscribe u, ProtocolVersion version) {
        int size = 2 + (version.isV5() ? PropertiesCodec.size(u.properties()) : 0);
        for (String filter : u.topicFilters()) {
            size += WireWriter.utf8Size(filter);
        }
        return size;
    }

    static void write(Unsubscribe u, ProtocolVersion version, ByteBuffer out) {
        if (u.topicFilters().isEmpty()) {
            throw new IllegalArgumentException("UNSUBSCRIBE needs at least one Topic Filter [MQTT-3.10.3-2]");
        }
        WireWriter.packetId(u.packetId(), out);
        if (version.isV5()) {
            PropertiesCodec.write(u.properties(), out);
        }
        for (String filter : u.topicFilters()) {
            WireWriter.utf8(filter, out);
        }
    }
}
