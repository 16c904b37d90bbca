package io.checkedmqtt.core.session;

import io.checkedmqtt.core.broker.BrokerConfig;
import io.checkedmqtt.core.broker.ConnectionId;
import io.checkedmqtt.core.broker.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Packet identifiers for outbound messages at the top of their range: after 65535 comes 1, also
 * while the 3.1.1 timed resend sets identifiers aside for the rest of the connection.
 */
class PacketIdAllocationTest {

    private static final ConnectionId CONN = new ConnectionId(1);

    private static List<Integer> idsOfNextSends(SessionTransitions t, Session s, int count) {
        List<Integer> ids = new ArrayList<>();
        Publish m = new Publish("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY);
        for (int i = 0; i < count; i++) {
            SessionStep step = t.onDeliver(s, m, 0, 0);
            ids.add(((Publish) ((Effect.Send) step.effects().get(0)).packet()).packetId());
            s = step.session();
        }
        return ids;
    }

    private static Session online(SessionTransitions t) {
        Connect c = new Connect(ProtocolVersion.MQTT_3_1_1, "c", false, 0, null, null, null, Properties.EMPTY);
        return t.onConnect(null, "c", false, c, CONN, 0).session();
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] v5 [MQTT-2.2.1-4] after 65535 the next packet id is 1 (never 0, never 65536)")
    void wrapsToOne() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = online(t).withSent(InflightWindow.EMPTY, 65_534);
        assertEquals(List.of(65_535, 1, 2), idsOfNextSends(t, s, 3));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] [MQTT-4.3.2-1] with ids set aside by the timed resend, 65535 still wraps to 1 and the set-aside id is skipped")
    void wrapsToOneWhileSkippingResentIds() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = online(t);
        Link link = s.link().withResent(2);
        s = s.withLink(link).withSent(InflightWindow.EMPTY, 65_534);
        assertEquals(List.of(65_535, 1, 3), idsOfNextSends(t, s, 3));
    }
}
