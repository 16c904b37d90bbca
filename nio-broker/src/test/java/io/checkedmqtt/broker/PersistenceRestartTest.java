package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.checkedmqtt.broker.DurableFixture.V311;
import static io.checkedmqtt.broker.DurableFixture.bytes;
import static io.checkedmqtt.broker.DurableFixture.connect;
import static io.checkedmqtt.broker.DurableFixture.publish;
import static io.checkedmqtt.broker.DurableFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker with persistence stops and starts again on the same directory: kept sessions, their
 * subscriptions and queued messages, retained messages and inbound QoS 2 identifiers come back;
 * a torn tail is cut with a log line; damage in the middle stops the start unless salvaging; the
 * log is compacted into snapshots so the directory stays small.
 */
class PersistenceRestartTest {

    @TempDir
    Path directory;

    private List<String> drain(TextClient client, int count) throws IOException {
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            Packet p = client.receivePacket(V311);
            if (p instanceof Publish m) {
                got.add(text(m));
                client.write(bytes(m.qos() == QoS.EXACTLY_ONCE ? new PubRec(m.packetId()) : new PubAck(m.packetId())));
            } else if (p instanceof PubRel rel) {
                client.write(bytes(new PubComp(rel.packetId())));
            }
        }
        return got;
    }

    private static void publishAcknowledged(TextClient publisher, Publish p) throws IOException {
        publisher.write(bytes(p));
        Packet answer = publisher.receivePacket(V311);
        assertEquals(p.packetId(), p.qos() == QoS.EXACTLY_ONCE ? ((PubRec) answer).packetId() : ((PubAck) answer).packetId());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] [MQTT-3.2.2-2] [MQTT-4.3.3-2] after a stop and start: the kept session (Session Present 1), its subscription, its queued QoS 1 and 2 messages in order, the retained message, the publisher's QoS 2 identifier")
    void restartBringsEverythingBack() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        try (MqttBroker broker = f.start()) {
            DurableFixture.offlineSubscriber(broker, "sub", "t/#");
            try (TextClient publisher = connect(broker, "pub", false)) {
                for (int i = 0; i < 20; i++) {
                    publishAcknowledged(publisher, publish("t/" + (i % 3), "m" + i, i % 2 == 0 ? QoS.AT_LEAST_ONCE
                            : QoS.EXACTLY_ONCE, i + 1));
                }
                Publish retained = new Publish("r", "kept".getBytes(), QoS.AT_LEAST_ONCE, true, false, 100,
                        Properties.EMPTY);
                publishAcknowledged(publisher, retained);
            }
        }
        try (MqttBroker broker = f.start();
             TextClient subscriber = new TextClient(broker.port());
             TextClient publisher = new TextClient(broker.port())) {
            Connack connack = DurableFixture.connack(broker, subscriber, "sub");
            assertTrue(connack.sessionPresent());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("m" + i);
            }
            assertEquals(expected, drain(subscriber, 20));
            DurableFixture.connack(broker, publisher, "pub");
            // the publisher never sent PUBREL for id 20: the identifier came back with its session,
            // so a resend of that PUBLISH is acknowledged again and not handed on a second time
            publisher.write(bytes(publish("t/0", "m1", QoS.EXACTLY_ONCE, 20).asDuplicate()));
            assertEquals(new PubRec(20), publisher.receivePacket(V311));
            subscriber.write(bytes(new Subscribe(2, List.of(new Subscription("r",
                    SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY)));
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 3 && after.size() < 1; i++) {
                Packet p = subscriber.receivePacket(V311);
                if (p instanceof Publish m) {
                    after.add(text(m) + (m.retain() ? " retained" : ""));
                }
            }
            assertEquals(List.of("kept retained"), after, "the retained message, and no QoS 2 duplicate");
        }
        assertTrue(f.log().contains("persistence: " + directory + ": 2 sessions and 1 retained messages"), f.log());
    }

    @Test
    @DisplayName("a torn tail (bytes after the last whole frame) is cut with a log line; everything before it is kept")
    void tornTailIsCut() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        try (MqttBroker broker = f.start()) {
            DurableFixture.offlineSubscriber(broker, "sub", "t");
            try (TextClient publisher = connect(broker, "pub", true)) {
                publishAcknowledged(publisher, publish("t", "before the tear", QoS.AT_LEAST_ONCE, 1));
            }
        }
        Path segment = newest("log-");
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            file.write(ByteBuffer.wrap(new byte[] {0x43, 0x4D, 0x51, 0x46, 0, 0, 1}));   // a frame header cut short
        }
        try (MqttBroker broker = f.start(); TextClient subscriber = new TextClient(broker.port())) {
            DurableFixture.connack(broker, subscriber, "sub");
            assertEquals(List.of("before the tear"), drain(subscriber, 1));
        }
        assertTrue(f.log().contains("cut 7 bytes after the last whole frame"), f.log());
    }

    @Test
    @DisplayName("damage in the middle of the log stops the start with a message naming the file; with salvage it starts with the rest, and says what it skipped")
    void damageInTheMiddleNeedsSalvage() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        try (MqttBroker broker = f.start()) {
            DurableFixture.offlineSubscriber(broker, "sub", "t");
            try (TextClient publisher = connect(broker, "pub", true)) {
                for (int i = 1; i <= 3; i++) {
                    publishAcknowledged(publisher, publish("t", "m" + i, QoS.AT_LEAST_ONCE, i));
                }
            }
        }
        Path segment = newest("log-");
        byte[] bytes = Files.readAllBytes(segment);
        int second = indexOf(bytes, "m2".getBytes());
        bytes[second] ^= 0x55;
        Files.write(segment, bytes);

        PersistenceException refused = assertThrows(PersistenceException.class, f::start);
        assertTrue(refused.getMessage().contains(segment.toString()) && refused.getMessage().contains("damaged")
                && refused.getMessage().contains("--salvage"), refused.getMessage());

        try (MqttBroker broker = f.start(f.persistence().withSalvage(true), Storage.FILES);
             TextClient subscriber = new TextClient(broker.port())) {
            DurableFixture.connack(broker, subscriber, "sub");
            assertEquals(List.of("m1", "m3"), drain(subscriber, 2));
        }
        assertTrue(f.log().contains("salvage: " + segment + " is damaged"), f.log());
    }

    @Test
    @DisplayName("compaction: with a small mark the log is folded into snapshots as it grows; the directory stays small and a restart has everything")
    void compactionKeepsTheDirectorySmall() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        PersistenceSettings small = f.persistence().withCompactBytes(4_096);
        long largest = 0;
        try (MqttBroker broker = f.start(small, Storage.FILES)) {
            DurableFixture.offlineSubscriber(broker, "sub", "t");
            try (TextClient publisher = connect(broker, "pub", true)) {
                for (int round = 0; round < 10; round++) {
                    for (int i = 0; i < 50; i++) {
                        publishAcknowledged(publisher, publish("t", "r" + round + "m" + i, QoS.AT_LEAST_ONCE, 1 + i));
                    }
                    try (TextClient subscriber = new TextClient(broker.port())) {
                        DurableFixture.connack(broker, subscriber, "sub");
                        drain(subscriber, 50);
                        Thread.sleep(50);   // the last PUBACKs reach the broker before the socket closes
                    }
                    largest = Math.max(largest, directorySize());
                }
                publishAcknowledged(publisher, publish("t", "last", QoS.AT_LEAST_ONCE, 99));
            }
        }
        assertTrue(largest < 64 * 1024, "the directory stayed below 64 KB: " + largest);
        assertTrue(f.log().contains("persistence: snapshot"), f.log());
        try (MqttBroker broker = f.start(small, Storage.FILES); TextClient subscriber = new TextClient(broker.port())) {
            DurableFixture.connack(broker, subscriber, "sub");
            List<String> rest = drain(subscriber, 1);
            assertEquals("last", rest.get(rest.size() - 1));
        }
    }

    private long directorySize() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            long total = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                total += Files.exists(p) ? Files.size(p) : 0;
            }
            return total;
        }
    }

    private Path newest(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
