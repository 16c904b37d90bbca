package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Large messages across transports: a 1 MB payload spans many TLS records and is cut into several
 * batches by the transport's writer, and 500 small ones in a burst share records and frames.
 */
class TransportStreamTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.withTransports();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String payload(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    @ParameterizedTest(name = "{0} to the next transport")
    @EnumSource(Transports.class)
    @DisplayName("a 1 MB message and a burst of 500 small ones arrive whole and in order, published over one transport, received over another")
    void largeAndMany(Transports from) throws Exception {
        Transports to = Transports.values()[(from.ordinal() + 1) % Transports.values().length];
        String topic = "stream/" + from;
        TestClient subscriber = to.client(broker, Versions.V5, broker.nextId("sub")).connect(true).subscribe(topic, 1);
        TestClient publisher = from.client(broker, Versions.V3_1_1, broker.nextId("pub")).connect(true);
        String big = payload(1 << 20, from.ordinal());
        publisher.publish(topic, big, 1);
        Received large = subscriber.next();
        assertNotNull(large, "the 1 MB message arrived");
        assertEquals(big, large.payload());
        for (int i = 0; i < 500; i++) {
            publisher.publish(topic, "m" + i, 0);
        }
        for (int i = 0; i < 500; i++) {
            Received r = subscriber.next();
            assertNotNull(r, "message " + i);
            assertEquals("m" + i, r.payload());
        }
    }
}
