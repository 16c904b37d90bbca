package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.ProtocolVersion;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class FlowsTest {

    @Test
    @DisplayName("a session with nothing in flight, queued, awaiting PUBREL or dropped shares Flows.NONE")
    void idleSessionsShareNone() {
        Session fresh = Session.fresh("c", ProtocolVersion.MQTT_5, 0);
        assertSame(Flows.NONE, fresh.flows());
        Session dropped = fresh.withDropped(3);
        assertNotSame(Flows.NONE, dropped.flows());
        assertEquals(3, dropped.droppedMessages());
        assertSame(Flows.NONE, dropped.withDropped(0).flows(), "back to nothing: the shared one again");
    }

    @Test
    @DisplayName("the flat accessors read through the flows, and a message history keeps its own")
    void flatAccessorsReadThrough() {
        Session s = Session.fresh("c", ProtocolVersion.MQTT_3_1_1, Session.NEVER_EXPIRES)
                .withAwaitingPubRel(PacketIdSet.of(7)).withResendAt(1_000);
        assertEquals(PacketIdSet.of(7), s.awaitingPubRel());
        assertEquals(1_000, s.resendAtMillis());
        assertSame(s, s.withResendAt(1_000));
        Session cleared = s.withAwaitingPubRel(PacketIdSet.EMPTY).withResendAt(Session.NO_DEADLINE);
        assertSame(Flows.NONE, cleared.flows());
        assertEquals(Session.fresh("c", ProtocolVersion.MQTT_3_1_1, Session.NEVER_EXPIRES), cleared,
                "equal to a fresh session: nothing of the history is left");
    }
}
