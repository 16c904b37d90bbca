package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.broker.DurableFixture.V311;
import static io.checkedmqtt.broker.DurableFixture.bytes;
import static io.checkedmqtt.broker.DurableFixture.connect;
import static io.checkedmqtt.broker.DurableFixture.publish;
import static io.checkedmqtt.broker.DurableFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk, a failing force, a directory that cannot be written or is taken: at start a clear
 * error and no broker; while running the broker stops without acknowledging what it could not
 * make durable, and the log it leaves starts again without salvage.
 */
class PersistenceFailureTest {

    @TempDir
    Path directory;

    /** Every packet the client gets until the broker closes the connection. */
    private static List<Packet> untilClosed(TextClient client) throws IOException {
        List<Packet> got = new ArrayList<>();
        while (true) {
            try {
                got.add(client.receivePacket(V311));
            } catch (EOFException | SocketException closed) {
                return got;
            }
        }
    }

    private static void awaitStopped(MqttBroker broker) throws InterruptedException {
        for (int i = 0; i < 500 && broker.isRunning(); i++) {
            Thread.sleep(10);
        }
        assertFalse(broker.isRunning(), "the broker stopped");
    }

    private void acknowledgedBeforeTheFailure(DurableFixture f, FaultyStorage storage, String failure)
            throws Exception {
        MqttBroker broker = f.start(f.persistence(), storage);
        DurableFixture.offlineSubscriber(broker, "sub", "t");
        try (TextClient publisher = connect(broker, "pub", true)) {
            publisher.write(bytes(publish("t", "durable", QoS.AT_LEAST_ONCE, 1)));
            assertEquals(new PubAck(1), publisher.receivePacket(V311));
            if (failure.equals("full")) {
                storage.writeBudget.set(10);   // the next frame does not fit
            } else {
                storage.failForce = true;
            }
            publisher.write(bytes(publish("t", "not durable", QoS.AT_LEAST_ONCE, 2)));
            List<Packet> after = untilClosed(publisher);
            assertTrue(after.stream().noneMatch(p -> p instanceof PubAck), "no PUBACK for what is not durable: " + after);
        }
        awaitStopped(broker);
        broker.close();
        assertTrue(f.log().contains("records could not be made durable"), f.log());

        try (MqttBroker again = f.start(); TextClient subscriber = new TextClient(again.port())) {
            DurableFixture.connack(again, subscriber, "sub");
            Publish first = (Publish) subscriber.receivePacket(V311);
            assertEquals("durable", text(first));
            subscriber.write(bytes(new PubAck(first.packetId())));
            if (failure.equals("full")) {
                // the failed frame was cut back: nothing of it is in the log
                subscriber.socket.setSoTimeout(300);
                assertThrows(java.net.SocketTimeoutException.class, () -> subscriber.receivePacket(V311));
            }
        }
        assertFalse(f.log().contains("damaged"), f.log());
    }

    @Test
    @DisplayName("the disk fills up while running: no PUBACK for the message that did not fit, the broker stops, and restarts on its log without salvage")
    void diskFullWhileRunning() throws Exception {
        acknowledgedBeforeTheFailure(new DurableFixture(directory), new FaultyStorage(), "full");
    }

    @Test
    @DisplayName("a force fails while running (an I/O error): no PUBACK for that pass, the broker stops")
    void forceFailsWhileRunning() throws Exception {
        acknowledgedBeforeTheFailure(new DurableFixture(directory), new FaultyStorage(), "force");
    }

    @Test
    @DisplayName("the disk is full at start: a clear error, no broker")
    void diskFullAtStart() {
        FaultyStorage storage = new FaultyStorage();
        storage.writeBudget.set(0);
        DurableFixture f = new DurableFixture(directory);
        PersistenceException e = assertThrows(PersistenceException.class, () -> f.start(f.persistence(), storage));
        assertTrue(e.getMessage().contains(directory.toString()) && e.getMessage().contains("No space left on device"),
                e.getMessage());
    }

    @Test
    @DisplayName("a location that cannot be a directory (beneath a file), and one nobody may write in (/sys on Linux): a clear error, no broker")
    void unwritableDirectoryAtStart() throws Exception {
        Path file = Files.createFile(directory.resolve("a-file"));
        DurableFixture beneathAFile = new DurableFixture(file.resolve("data"));
        PersistenceException e = assertThrows(PersistenceException.class, beneathAFile::start);
        assertTrue(e.getMessage().startsWith("cannot create the directory " + file.resolve("data")), e.getMessage());

        DurableFixture inSys = new DurableFixture(Path.of("/sys/checked-mqtt-test-" + System.nanoTime()));
        PersistenceException sys = assertThrows(PersistenceException.class, inSys::start);
        assertTrue(sys.getMessage().startsWith("cannot create the directory /sys/"), sys.getMessage());
    }

    @Test
    @DisplayName("new files cannot be created while running: the broker goes on in its current segment, compaction waits, and nothing is lost")
    void noNewFilesWhileRunning() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        FaultyStorage storage = new FaultyStorage();
        try (MqttBroker broker = f.start(f.persistence().withCompactBytes(512), storage)) {
            DurableFixture.offlineSubscriber(broker, "sub", "t");
            storage.failCreate = true;
            try (TextClient publisher = connect(broker, "pub", true)) {
                for (int i = 1; i <= 30; i++) {
                    publisher.write(bytes(publish("t", "m" + i, QoS.AT_LEAST_ONCE, i)));
                    assertEquals(new PubAck(i), publisher.receivePacket(V311));
                }
            }
            assertTrue(broker.isRunning());
        }
        assertTrue(f.log().contains("cannot start a new log segment"), f.log());
        try (MqttBroker broker = f.start(); TextClient subscriber = new TextClient(broker.port())) {
            DurableFixture.connack(broker, subscriber, "sub");
            for (int i = 1; i <= 20; i++) {   // 20: the in-flight window; the rest wait in the queue
                Publish m = (Publish) subscriber.receivePacket(V311);
                assertEquals("m" + i, text(m));
            }
        }
    }

    @Test
    @DisplayName("a second broker on the same directory is refused while the first runs")
    void directoryInUse() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        try (MqttBroker first = f.start()) {
            PersistenceException e = assertThrows(PersistenceException.class, f::start);
            assertTrue(e.getMessage().contains("in use by another broker"), e.getMessage());
            assertTrue(first.isRunning());
        }
        try (MqttBroker second = f.start()) {   // free again once the first stopped
            assertTrue(second.isRunning());
        }
    }
}
