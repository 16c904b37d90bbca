package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.packet.Will;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * QuickTheories generators of valid packets: everything a conforming peer of the given version
 * may send, including the corners (empty strings and payloads, multi-byte and supplementary
 * characters, U+FEFF, every property in every place it is allowed, every allowed reason code).
 * Values are drawn through the randomness source, so failures shrink.
 */
final class PacketGenerators {

    private PacketGenerators() {
    }

    /** Any valid packet of this version; CONNECT carries the version itself. */
    static Gen<Packet> packets(ProtocolVersion version) {
        return in -> new Draw(in).packet(version);
    }

    /** A few valid packets of this version, to be sent back to back. */
    static Gen<List<Packet>> packetLists(ProtocolVersion version, int max) {
        return in -> {
            Draw d = new Draw(in);
            List<Packet> list = new ArrayList<>();
            int n = d.between(1, max);
            for (int i = 0; i < n; i++) {
                list.add(d.packet(version));
            }
            return list;
        };
    }

    /** Chunk lengths for splitting a byte stream. */
    static Gen<List<Integer>> chunkSizes() {
        return in -> {
            Draw d = new Draw(in);
            List<Integer> sizes = new ArrayList<>();
            int n = d.between(1, 12);
            for (int i = 0; i < n; i++) {
                sizes.add(d.between(1, d.bool() ? 4 : 64));
            }
            return sizes;
        };
    }

    /** Draws values from the source, one helper per MQTT data type. */
    static final class Draw {
        private static final List<PropertyId> ALL_PROPERTIES = List.of(PropertyId.values());
        private final RandomnessSource in;

        Draw(RandomnessSource in) {
            this.in = in;
        }

        int between(int low, int high) {
            return Generate.range(low, high).generate(in);
        }

        long between(long low, long high) {
            return Generate.longRange(low, high).generate(in);
        }

        boolean bool() {
            return between(0, 1) == 1;
        }

        <T> T pick(List<T> values) {
            return values.get(between(0, values.size() - 1));
        }

        byte[] bytes(int maxLength) {
            byte[] bytes = new byte[between(0, maxLength)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) between(0, 255);
            }
            return bytes;
        }

        int codePoint() {
            return switch (between(0, 9)) {
                case 0 -> between(0x80, 0x7FF);
                case 1 -> {
                    int cp = between(0x800, 0xFFFF - 0x800);
                    yield cp >= 0xD800 ? cp + 0x800 : cp; // skip the surrogate range
                }
                case 2 -> between(0x10000, 0x10FFFF);
                case 3 -> 0xFEFF;
                default -> between(1, 0x7F);
            };
        }

        String string(int maxCodePoints) {
            StringBuilder sb = new StringBuilder();
            int n = between(0, maxCodePoints);
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(codePoint());
            }
            return sb.toString();
        }

        /** A Topic Name: non-empty, no wildcard. */
        String topicName() {
            String s = string(8).replace('+', 'p').replace('#', 'h');
            return s.isEmpty() ? "t/" + between(0, 9) : s;
        }

        /** A Topic Filter: any string the decoder passes on (its syntax is the topic layer's business). */
        String topicFilter() {
            return switch (between(0, 4)) {
                case 0 -> "$share/g/" + topicName();
                case 1 -> "a/+/#";
                default -> string(8);
            };
        }

        Properties properties(PropertyLocation location) {
            if (between(0, 2) == 0) {
                return Properties.EMPTY;
            }
            List<PropertyId> allowed = ALL_PROPERTIES.stream().filter(id -> id.allowedIn(location)).toList();
            List<Property> list = new ArrayList<>();
            Set<PropertyId> used = EnumSet.noneOf(PropertyId.class);
            int n = between(1, 5);
            for (int i = 0; i < n; i++) {
                PropertyId id = pick(allowed);
                if (used.contains(id) && !id.mayRepeatIn(location)) {
                    continue;
                }
                used.add(id);
                list.add(property(id));
            }
            if (used.contains(PropertyId.AUTHENTICATION_DATA) && !used.contains(PropertyId.AUTHENTICATION_METHOD)) {
                list.add(new Property.StringProperty(PropertyId.AUTHENTICATION_METHOD, string(6)));
            }
            return Properties.of(list);
        }

        Property property(PropertyId id) {
            return switch (id.type()) {
                case BYTE -> new Property.IntegerProperty(id, between(0, 1));
                case TWO_BYTE_INTEGER -> new Property.IntegerProperty(id,
                        id == PropertyId.RECEIVE_MAXIMUM || id == PropertyId.TOPIC_ALIAS ? between(1, 65_535) : between(0, 65_535));
                case FOUR_BYTE_INTEGER -> new Property.IntegerProperty(id,
                        between(id == PropertyId.MAXIMUM_PACKET_SIZE ? 1L : 0L, 0xFFFF_FFFFL));
                case VARIABLE_BYTE_INTEGER -> new Property.IntegerProperty(id,
                        bool() ? between(1, 200) : between(1, VariableByteInteger.MAXIMUM));
                case UTF8_STRING -> new Property.StringProperty(id, id == PropertyId.RESPONSE_TOPIC ? topicName() : string(6));
                case BINARY_DATA -> new Property.BinaryProperty(id, bytes(8));
                case UTF8_STRING_PAIR -> new Property.UserProperty(string(4), string(4));
            };
        }

        ReasonCode reason(PacketType type) {
            return pick(Arrays.stream(ReasonCode.values()).filter(c -> c.allowedIn(type)).toList());
        }

        int packetId() {
            return bool() ? between(1, 10) : between(1, 65_535);
        }

        QoS qos() {
            return QoS.of(between(0, 2));
        }

        Packet packet(ProtocolVersion version) {
            boolean v5 = version.isV5();
            int kind = between(0, v5 ? 14 : 13);
            return switch (kind) {
                case 0 -> connect(version);
                // 3.1 has no Session Present on the wire (its CONNACK byte 1 is reserved)
                case 1 -> new Connack(bool() && version != ProtocolVersion.MQTT_3_1, v5 ? reason(PacketType.CONNACK) : ConnackReturnCodes.fromReturnCode(between(0, 5)),
                        v5 ? properties(PropertyLocation.CONNACK) : Properties.EMPTY);
                case 2 -> publish(version);
                case 3 -> new PubAck(packetId(), v5 ? reason(PacketType.PUBACK) : ReasonCode.SUCCESS, props(v5, PropertyLocation.PUBACK));
                case 4 -> new PubRec(packetId(), v5 ? reason(PacketType.PUBREC) : ReasonCode.SUCCESS, props(v5, PropertyLocation.PUBREC));
                case 5 -> new PubRel(packetId(), v5 ? reason(PacketType.PUBREL) : ReasonCode.SUCCESS, props(v5, PropertyLocation.PUBREL));
                case 6 -> new PubComp(packetId(), v5 ? reason(PacketType.PUBCOMP) : ReasonCode.SUCCESS,
                        props(v5, PropertyLocation.PUBCOMP));
                case 7 -> subscribe(v5);
                case 8 -> {
                    List<ReasonCode> codes = new ArrayList<>();
                    int n = between(1, 4);
                    List<ReasonCode> v3codes = List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2,
                            ReasonCode.UNSPECIFIED_ERROR);
                    for (int i = 0; i < n; i++) {
                        codes.add(v5 ? reason(PacketType.SUBACK) : pick(v3codes));
                    }
                    yield new SubAck(packetId(), codes, props(v5, PropertyLocation.SUBACK));
                }
                case 9 -> {
                    List<String> filters = new ArrayList<>();
                    int n = between(1, 4);
                    for (int i = 0; i < n; i++) {
                        filters.add(topicFilter());
                    }
                    yield new Unsubscribe(packetId(), filters, props(v5, PropertyLocation.UNSUBSCRIBE));
                }
                case 10 -> {
                    List<ReasonCode> codes = new ArrayList<>();
                    int n = v5 ? between(0, 4) : 0;
                    for (int i = 0; i < n; i++) {
                        codes.add(reason(PacketType.UNSUBACK));
                    }
                    yield new UnsubAck(packetId(), codes, props(v5, PropertyLocation.UNSUBACK));
                }
                case 11 -> PingReq.INSTANCE;
                case 12 -> PingResp.INSTANCE;
                case 13 -> v5 ? new Disconnect(reason(PacketType.DISCONNECT), properties(PropertyLocation.DISCONNECT))
                        : Disconnect.NORMAL;
                default -> new Auth(reason(PacketType.AUTH), properties(PropertyLocation.AUTH));
            };
        }

        private Properties props(boolean v5, PropertyLocation location) {
            return v5 ? properties(location) : Properties.EMPTY;
        }

        Connect connect(ProtocolVersion version) {
            boolean v5 = version.isV5();
            Will will = bool() ? new Will(topicName(), bytes(16), qos(), bool(), props(v5, PropertyLocation.WILL)) : null;
            String userName = bool() ? string(6) : null;
            byte[] password = (v5 || userName != null) && bool() ? bytes(8) : null;
            return new Connect(version, string(8), bool(), between(0, 65_535), userName, password, will,
                    props(v5, PropertyLocation.CONNECT));
        }

        Publish publish(ProtocolVersion version) {
            QoS qos = qos();
            boolean dup = qos != QoS.AT_MOST_ONCE && bool();
            int packetId = qos == QoS.AT_MOST_ONCE ? 0 : packetId();
            Properties properties = props(version.isV5(), PropertyLocation.PUBLISH);
            String topic = topicName();
            if (version.isV5() && between(0, 4) == 0) {
                topic = ""; // a Topic Alias stands for the name
                if (!properties.contains(PropertyId.TOPIC_ALIAS)) {
                    properties = properties.with(new Property.IntegerProperty(PropertyId.TOPIC_ALIAS, between(1, 65_535)));
                }
            }
            return new Publish(topic, bytes(between(0, 3) == 0 ? 300 : 24), qos, bool(), dup, packetId, properties);
        }

        Subscribe subscribe(boolean v5) {
            List<Subscription> subscriptions = new ArrayList<>();
            int n = between(1, 4);
            for (int i = 0; i < n; i++) {
                String filter = topicFilter();
                SubscriptionOptions options = v5
                        ? new SubscriptionOptions(qos(), !filter.startsWith("$share/") && bool(), bool(),
                        SubscriptionOptions.RetainHandling.values()[between(0, 2)])
                        : SubscriptionOptions.of(qos());
                subscriptions.add(new Subscription(filter, options));
            }
            return new Subscribe(packetId(), subscriptions, props(v5, PropertyLocation.SUBSCRIBE));
        }
    }
}
