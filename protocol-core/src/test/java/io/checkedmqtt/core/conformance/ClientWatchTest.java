package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.ProtocolVersion;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flows a watch keeps: every one in flight, and a bounded number of ended ones, the newest. */
class ClientWatchTest {

    private static final ConnectionId CONN = new ConnectionId(1);

    private static Flow flow(int id, long at, Flow.Stage stage) {
        return new Flow(id, PacketType.PUBLISH, 1, id, "PUBLISH id=" + id, CONN, at, stage);
    }

    /** {@code inFlight} flows that never end, then {@code ended} that start and end, one ms apart. */
    private static ClientWatch run(int inFlight, int ended) {
        ClientWatch w = ClientWatch.fresh("c", ProtocolVersion.MQTT_5);
        long at = 0;
        for (int id = 1; id <= inFlight; id++) {
            w = w.withFlow(flow(id, at++, Flow.Stage.ANSWERING));
        }
        for (int id = inFlight + 1; id <= inFlight + ended; id++) {
            w = w.withFlow(flow(id, at, Flow.Stage.ANSWERING));
            w = w.withFlow(flow(id, at++, Flow.Stage.DONE));
        }
        return w;
    }

    @Test
    @DisplayName("ended flows are kept between MAX_DONE_FLOWS and twice that, the newest; the count stays exact")
    void endedFlowsAreBounded() {
        for (int ended : new int[] {0, 1, 64, 128, 129, 1_000, 5_000}) {
            ClientWatch w = run(0, ended);
            int kept = w.flows().size();
            assertEquals(kept, w.doneFlows(), ended + " ended");
            assertTrue(kept <= 2 * ClientWatch.MAX_DONE_FLOWS, ended + " ended: " + kept + " kept");
            assertTrue(kept >= Math.min(ended, ClientWatch.MAX_DONE_FLOWS), ended + " ended: " + kept + " kept");
            if (ended > 0) {
                assertNotNull(w.flows().get(ended), "the newest ended flow is kept (late resends of it are recognised)");
            }
            if (ended > 2 * ClientWatch.MAX_DONE_FLOWS) {
                assertNull(w.flows().get(1), "the oldest ended flow is forgotten");
            }
        }
    }

    @Test
    @DisplayName("a flow in flight is never forgotten, however many others end after it")
    void inFlightFlowsStay() {
        ClientWatch w = run(1_000, 3_000);
        for (int id = 1; id <= 1_000; id++) {
            Flow f = w.flows().get(id);
            assertNotNull(f, "in-flight flow " + id);
            assertTrue(f.inFlight());
        }
        assertEquals(w.flows().size() - 1_000, w.doneFlows());
    }

    @Test
    @DisplayName("an ended identifier used again counts as in flight again; the count follows it")
    void reusedIdentifier() {
        ClientWatch w = run(0, 3);
        assertEquals(3, w.doneFlows());
        w = w.withFlow(flow(2, 10, Flow.Stage.ANSWERING));
        assertEquals(2, w.doneFlows());
        assertTrue(w.flows().get(2).inFlight());
        assertEquals(2, w.withFlows(w.flows()).doneFlows(), "withFlows counts afresh");
        assertFalse(w.withFlow(flow(2, 11, Flow.Stage.DONE)).flows().get(2).inFlight());
        assertEquals(3, w.withFlow(flow(2, 11, Flow.Stage.DONE)).doneFlows());
    }
}
