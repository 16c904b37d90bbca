package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.SubscriptionOptions.RetainHandling;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE (3.1.1 section 3.8, 5.0 section 3.8). The Topic Filters are checked as UTF-8 here.
 * Their syntax (wildcards, the 5.0 Shared Subscription form) has one check,
 * {@code topic.TopicFilter.syntaxError}, which the codec may not call (the core's packages depend
 * one way: codec before topic); the broker core applies it and closes the connection on a
 * malformed filter, as the decoder's errors do.
 */
final class SubscribeCodec {

    private static final String SHARE_PREFIX = "$share/";

    private SubscribeCodec() {
    }

    static Subscribe decode(ByteBuffer in, ProtocolVersion version) {
        int packetId = WireReader.packetId(in, version);
        Properties properties = version.isV5() ? PropertiesCodec.read(in, PropertyLocation.SUBSCRIBE) : Properties.EMPTY;
        if (!in.hasRemaining()) {
            throw DecodeFailure.protocolError(DecodeFailure.id(version, "MQTT-3.8.3-3", "MQTT-3.8.3-2"),
                    "SUBSCRIBE has no Topic Filter");
        }
        List<Subscription> subscriptions = new ArrayList<>();
        while (in.hasRemaining()) {
            String filter = WireReader.utf8(in, version, "Topic Filter");
            int options = WireReader.unsignedByte(in, "Subscription Options");
            subscriptions.add(new Subscription(filter, version.isV5() ? optionsV5(options, filter) : optionsV311(options)));
        }
        return new Subscribe(packetId, subscriptions, properties);
    }

    /** 3.1.1: only the Requested QoS; the upper six bits are reserved [MQTT-3-8.3-4]. */
    private static SubscriptionOptions optionsV311(int options) {
        if ((options & 0xFC) != 0) {
            throw DecodeFailure.malformed("MQTT-3-8.3-4", "reserved bits of the Requested QoS byte are set");
        }
        if (options == 3) {
            throw DecodeFailure.malformed("MQTT-3-8.3-4", "Requested QoS is 3");
        }
        return SubscriptionOptions.of(QoS.of(options));
    }

    /** 5.0 Subscription Options (section 3.8.3.1). */
    private static SubscriptionOptions optionsV5(int options, String filter) {
        if ((options & 0xC0) != 0) {
            throw DecodeFailure.malformed("MQTT-3.8.3-5", "reserved bits of the Subscription Options are set");
        }
        int qos = options & 0x03;
        if (qos == 3) {
            // "It is a Protocol Error if the Maximum QoS field has the value 3" (5.0 section 3.8.3.1)
            throw DecodeFailure.protocolError("5.0 section 3.8.3.1", "Maximum QoS is 3");
        }
        int retainHandling = (options >> 4) & 0x03;
        if (retainHandling == 3) {
            throw DecodeFailure.protocolError("5.0 section 3.8.3.1", "Retain Handling is 3");
        }
        boolean noLocal = (options & 0x04) != 0;
        if (noLocal && filter.startsWith(SHARE_PREFIX)) {
            throw DecodeFailure.protocolError("MQTT-3.8.3-4", "No Local is set on a Shared Subscription");
        }
        RetainHandling handling = switch (retainHandling) {
            case 0 -> RetainHandling.SEND_ON_SUBSCRIBE;
            case 1 -> RetainHandling.SEND_IF_NEW_SUBSCRIPTION;
            default -> RetainHandling.DO_NOT_SEND;
        };
        return new SubscriptionOptions(QoS.of(qos), noLocal, (options & 0x08) != 0, handling);
    }

    static int remainingLength(Subscribe s, ProtocolVersion version) {
        int size = 2;
        if (version.isV5()) {
            size += PropertiesCodec.size(s.properties());
        }
        for (Subscription sub : s.subscriptions()) {
            size += WireWriter.utf8Size(sub.topicFilter()) + 1;
        }
        return size;
    }

    static void write(Subscribe s, ProtocolVersion version, ByteBuffer out) {
        if (s.subscriptions().isEmpty()) {
            throw new IllegalArgumentException("SUBSCRIBE needs at least one Topic Filter [MQTT-3.8.3-2]");
        }
        WireWriter.packetId(s.packetId(), out);
        if (version.isV5()) {
            PropertiesCodec.write(s.properties(), out);
        }
        for (Subscription sub : s.subscriptions()) {
            WireWriter.utf8(sub.topicFilter(), out);
            SubscriptionOptions o = sub.options();
            int options = o.maxQos().value();
            if (version.isV5()) {
                options |= (o.noLocal() ? 0x04 : 0) | (o.retainAsPublished() ? 0x08 : 0) | o.retainHandling().value() << 4;
            }
            out.put((byte) options);
        }
    }
}
