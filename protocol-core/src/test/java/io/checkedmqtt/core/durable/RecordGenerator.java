package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.effect.DurableRecord;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.core.routing.RetainedMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random records of every kind from a seed, with the values at the edges the format must carry:
 * empty and long strings, characters outside the BMP, empty and large payloads, every property
 * type, no will and a will, packet identifiers 0 and 65,535.
 */
final class RecordGenerator {

    private final Random random;
    /** Whether strings and payloads may be large (65,535 characters and more, 300 KB). */
    private final boolean large;

    RecordGenerator(long seed) {
        this(seed, true);
    }

    RecordGenerator(long seed, boolean large) {
        this.random = new Random(seed);
        this.large = large;
    }

    List<DurableRecord> records(int count) {
        List<DurableRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(record());
        }
        return out;
    }

    DurableRecord record() {
        String client = string();
        return switch (random.nextInt(13)) {
            case 0 -> new DurableRecord.SessionSaved(client, version(), 1 + random.nextInt(Integer.MAX_VALUE),
                    random.nextBoolean() ? null : will(), random.nextBoolean(), random.nextLong());
            case 1 -> new DurableRecord.SessionEnded(client);
            case 2 -> new DurableRecord.Subscribed(client, string(), options(), random.nextInt(268_435_456));
            case 3 -> new DurableRecord.Unsubscribed(client, string());
            case 4 -> new DurableRecord.MessageQueued(client, publish(), random.nextLong());
            case 5 -> new DurableRecord.QueueTaken(client, random.nextInt(Integer.MAX_VALUE));
            case 6 -> new DurableRecord.InFlight(client, publish(), random.nextBoolean(), random.nextLong());
            case 7 -> new DurableRecord.Released(client, packetId());
            case 8 -> new DurableRecord.Completed(client, packetId());
            case 9 -> new DurableRecord.Qos2Received(client, packetId());
            case 10 -> new DurableRecord.Qos2Released(client, packetId());
            case 11 -> new DurableRecord.RetainedSet(new RetainedMessage(publish(), random.nextLong()));
            default -> new DurableRecord.RetainedCleared(string());
        };
    }

    private int packetId() {
        return switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 65_535;
            default -> 1 + random.nextInt(65_535);
        };
    }

    private ProtocolVersion version() {
        return ProtocolVersion.values()[random.nextInt(ProtocolVersion.values().length)];
    }

    private String string() {
        int kind = random.nextInt(5);
        if (kind == 0) {
            return "";
        }
        int length = kind == 4 && large ? random.nextInt(70_000) : random.nextInt(12);
        StringBuilder b = new StringBuilder(length);
        int bytes = 0;   // an MQTT string holds at most 65,535 bytes of UTF-8
        for (int i = 0; i < length; i++) {
            int c = random.nextInt(4);
            int size = c < 2 ? 1 : c == 2 ? 2 : 4;
            if (bytes + size > 65_535) {
                break;
            }
            bytes += size;
            switch (c) {
                case 0 -> b.append((char) ('a' + random.nextInt(26)));
                case 1 -> b.append('/');
                case 2 -> b.append('\u00e9');
                default -> b.appendCodePoint(0x1F600 + random.nextInt(50));   // outside the BMP: two chars
            }
        }
        return b.toString();
    }

    private byte[] bytes() {
        byte[] b = new byte[random.nextInt(8) == 0 && large ? random.nextInt(300_000) : random.nextInt(20)];
        random.nextBytes(b);
        return b;
    }

    private QoS qos() {
        return QoS.of(random.nextInt(3));
    }

    private Publish publish() {
        return new Publish(string(), bytes(), qos(), random.nextBoolean(), random.nextBoolean(),
                random.nextBoolean() ? 0 : packetId(), properties());
    }

    private Will will() {
        return new Will(string(), bytes(), qos(), random.nextBoolean(), properties());
    }

    private SubscriptionOptions options() {
        return new SubscriptionOptions(qos(), random.nextBoolean(), random.nextBoolean(),
                SubscriptionOptions.RetainHandling.values()[random.nextInt(3)]);
    }

    private Properties properties() {
        int count = random.nextInt(4) == 0 ? random.nextInt(6) : 0;
        List<Property> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            PropertyId id = PropertyId.values()[random.nextInt(PropertyId.values().length)];
            list.add(switch (id.type()) {
                case UTF8_STRING -> new Property.StringProperty(id, string());
                case BINARY_DATA -> new Property.BinaryProperty(id, bytes());
                case UTF8_STRING_PAIR -> new Property.UserProperty(string(), string());
                default -> new Property.IntegerProperty(id, random.nextInt(Integer.MAX_VALUE));
            });
        }
        return Properties.of(list);
    }
}
