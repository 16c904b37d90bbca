package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import static io.checkedmqtt.broker.DurableFixture.V311;
import static io.checkedmqtt.broker.DurableFixture.bytes;
import static io.checkedmqtt.broker.DurableFixture.connect;
import static io.checkedmqtt.broker.DurableFixture.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When records become durable relative to the packets that depend on them: no acknowledgement
 * before its record is written (and, with {@code fsync pass}, forced); one force for every
 * acknowledgement of a pass; and what each fsync policy forces.
 */
class DurableCommitTest {

    @TempDir
    Path directory;

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.2-2] v5 [MQTT-4.3.2-4] no PUBACK leaves the broker while the record it depends on is still being written")
    void acknowledgementWaitsForTheLog() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        FaultyStorage storage = new FaultyStorage();
        try (MqttBroker broker = f.start(f.persistence(), storage)) {
            DurableFixture.offlineSubscriber(broker, "sub", "t");
            try (TextClient publisher = connect(broker, "pub", true)) {
                // a first message, acknowledged, and its pass written: the loop has no commit left to do
                int writes = storage.writes.get();
                publisher.write(bytes(publish("t", "first", QoS.AT_LEAST_ONCE, 9)));
                assertEquals(new PubAck(9), publisher.receivePacket(V311));
                for (int i = 0; i < 500 && storage.writes.get() == writes; i++) {
                    Thread.sleep(10);
                }
                CountDownLatch gate = new CountDownLatch(1);
                storage.gate = gate;
                try {
                    publisher.write(bytes(publish("t", "held", QoS.AT_LEAST_ONCE, 1)));
                    publisher.socket.setSoTimeout(500);
                    assertThrows(SocketTimeoutException.class, () -> publisher.receivePacket(V311),
                            "a PUBACK came while its record was not written");
                } finally {
                    storage.gate = null;
                    gate.countDown();   // the loop waits in the log write until here
                }
                publisher.socket.setSoTimeout(5_000);
                assertEquals(new PubAck(1), publisher.receivePacket(V311));
            }
        }
    }

    @Test
    @DisplayName("group commit: 200 QoS 1 PUBLISHes that arrive together are acknowledged after a few forces, not 200")
    void oneForcePerPass() throws Exception {
        DurableFixture f = new DurableFixture(directory);
        FaultyStorage storage = new FaultyStorage();
        try (MqttBroker broker = f.start(f.persistence(), storage)) {
            DurableFixture.offlineSubscriber(broker, "sub", "t");
            try (TextClient publisher = connect(broker, "pub", true)) {
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int i = 1; i <= 200; i++) {
                    burst.write(bytes(publish("t", "m" + i, QoS.AT_LEAST_ONCE, i)));
                }
                int before = storage.forces.get();
                publisher.write(burst.toByteArray());
                for (int i = 1; i <= 200; i++) {
                    assertEquals(new PubAck(i), publisher.receivePacket(V311));
                }
                int forces = storage.forces.get() - before;
                assertTrue(forces >= 1 && forces <= 20, forces + " forces for 200 acknowledgements");
            }
        }
    }

    /** Forces while 20 messages are published one at a time (each acknowledged before the next), and after. */
    private int[] forcesFor(FsyncPolicy policy, long idleAfterMillis) throws Exception {
        DurableFixture f = new DurableFixture(directory.resolve(policy.mode().name()));
        FaultyStorage storage = new FaultyStorage();
        try (MqttBroker broker = f.start(f.persistence().withFsync(policy), storage)) {
            DurableFixture.offlineSubscriber(broker, "sub", "t");
            try (TextClient publisher = connect(broker, "pub", true)) {
                int before = storage.forces.get();
                for (int i = 1; i <= 20; i++) {
                    publisher.write(bytes(publish("t", "m" + i, QoS.AT_LEAST_ONCE, i)));
                    assertEquals(new PubAck(i), publisher.receivePacket(V311));
                }
                int during = storage.forces.get() - before;
                Thread.sleep(idleAfterMillis);
                return new int[] {during, storage.forces.get() - before};
            }
        }
    }

    @Test
    @DisplayName("fsync pass forces before every acknowledged pass; interval forces within its interval of the last write; never leaves it to the operating system")
    void fsyncPolicies() throws Exception {
        int[] pass = forcesFor(FsyncPolicy.PASS, 0);
        assertTrue(pass[0] >= 20, "pass: " + pass[0] + " forces for 20 passes");
        int[] never = forcesFor(FsyncPolicy.NEVER, 300);
        assertEquals(0, never[1], "never: no force while running");
        int[] interval = forcesFor(FsyncPolicy.interval(10_000), 0);
        assertTrue(interval[0] <= 1, "interval 10 s: at most one force in a moment: " + interval[0]);
        int[] soon = forcesFor(FsyncPolicy.interval(100), 400);
        assertTrue(soon[1] >= 1, "interval 100 ms: the written records are forced within the interval");
    }
}
