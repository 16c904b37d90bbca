package io.checkedmqtt.broker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Many concurrent connections publishing and subscribing; every message accounted for. Runs alone. */
@Isolated
class ManyClientsTest {

    @Test
    @DisplayName("1,000 concurrent Paho connections (half 3.1.1, half 5.0) publish and subscribe: 6,000 deliveries, none lost")
    void thousandClients() throws Exception {
        run(1_000, 5);
    }

    @Test
    @Tag("soak")
    @DisplayName("soak: 4,000 concurrent Paho connections, 20 messages each plus a broadcast, none lost")
    void soak() throws Exception {
        run(Integer.getInteger("soak.clients", 4_000), 20);
    }

    private static void run(int clients, int perClient) throws Exception {
        try (TestBroker broker = new TestBroker()) {
            ManyClients many = new ManyClients(broker, clients, perClient);
            try {
                // each client gets perClient messages from its neighbour plus one broadcast
                assertEquals(clients * (perClient + 1), many.run(), "distinct deliveries");
            } finally {
                many.closeAll();
            }
        }
    }
}
