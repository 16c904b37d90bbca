package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.session.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The whole-core fuzz target ({@link BrokerCoreFuzzTest}) is worth what {@link CoreInvariants}
 * catch. Each invariant here holds on a real step of the core and fails on the same step broken
 * the way a plausible bug would break it.
 */
class CoreInvariantsTest {

    private static final ConnectionId SUBSCRIBER = new ConnectionId(1);
    private static final ConnectionId PUBLISHER = new ConnectionId(2);
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private final BrokerCore core = new BrokerCore(BrokerConfig.defaults());
    private BrokerState state = core.initialState();
    private long now = 1_000;

    /** A subscriber to a/# at QoS 1 and a publisher, both connected; then one QoS 1 PUBLISH on a/b. */
    private Step publishedStep() {
        step(core.connectionOpened(state, SUBSCRIBER, now));
        step(core.packetReceived(state, SUBSCRIBER, connect(V5, "sub", true), now));
        step(core.packetReceived(state, SUBSCRIBER, subscribe(1, "a/#", QoS.AT_LEAST_ONCE), now));
        step(core.connectionOpened(state, PUBLISHER, now));
        step(core.packetReceived(state, PUBLISHER, connect(V5, "pub", true), now));
        return core.packetReceived(state, PUBLISHER, message(), now);
    }

    private static Publish message() {
        return publish("a/b", "m1", QoS.AT_LEAST_ONCE, 7);
    }

    private void step(Step s) {
        state = s.state();
        now += 10;
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.4-1] routing: holds for the real core; fails for a core that accepts a QoS 1 message and sends it to nobody")
    void acceptedButNotSentIsCaught() {
        Step step = publishedStep();
        BrokerState before = before();
        assertDoesNotThrow(() -> CoreInvariants.deliveredAsSubscribed(before, step.state(), step.effects(), "pub",
                message(), true));
        List<Effect> withoutDelivery = new ArrayList<>(step.effects());
        withoutDelivery.removeIf(e -> e instanceof Effect.Send s && s.connection().equals(SUBSCRIBER));
        assertThrows(AssertionError.class, () -> CoreInvariants.deliveredAsSubscribed(before, step.state(),
                withoutDelivery, "pub", message(), true));
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.4-1] routing: fails for a core that delivers to a client with no matching subscription")
    void deliveryWithoutSubscriptionIsCaught() {
        Step step = publishedStep();
        BrokerState before = before();
        List<Effect> toThePublisherToo = new ArrayList<>(step.effects());
        toThePublisherToo.add(new Effect.Send(PUBLISHER, message().forHop(QoS.AT_LEAST_ONCE, 3)));
        assertThrows(AssertionError.class, () -> CoreInvariants.deliveredAsSubscribed(before, step.state(),
                toThePublisherToo, "pub", message(), true));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] holds for the real core; fails for a PUBLISH larger than the client's Maximum Packet Size")
    void tooLargeSendIsCaught() {
        Step step = publishedStep();
        Map<ConnectionId, ProtocolVersion> versions = Map.of(SUBSCRIBER, V5, PUBLISHER, V5);
        assertDoesNotThrow(() -> CoreInvariants.sendsAreWritable(step.effects(), versions, Map.of()));
        assertThrows(AssertionError.class, () -> CoreInvariants.sendsAreWritable(step.effects(), versions,
                Map.of(SUBSCRIBER, 8L)));
    }

    @Test
    @DisplayName("v5 [MQTT-2.2.1-3] holds for the real core; fails for a session with one packet identifier in flight twice")
    void packetIdTwiceInFlightIsCaught() {
        Step step = publishedStep();
        assertDoesNotThrow(() -> CoreInvariants.sessionsAreSound(step.state()));
        Session sub = step.state().session("sub");
        Session broken = sub.withInflight(sub.inflight().append(sub.inflight().get(0)));   // its id handed out again
        assertThrows(AssertionError.class, () -> CoreInvariants.sessionsAreSound(step.state().withSession("sub", broken)));
    }

    /** After {@link #publishedStep}: the state up to, not including, the PUBLISH. */
    private BrokerState before() {
        return state;
    }
}
