package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.TestedCore;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately wrong broker, made by corrupting the real core's inputs or outputs. It exists
 * only in model-tests, so that the build proves the model test and the trace validation can
 * fail: each of them must reject every {@link Fault}.
 */
final class BrokenCore implements TestedCore {

    /** The wrong behaviours on offer. */
    enum Fault {
        /**
         * QoS 2 without duplicate detection: a repeated QoS 2 PUBLISH (DUP = 1, identifier still
         * awaiting PUBREL) is routed again [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-10].
         */
        QOS2_NO_DEDUP,
        /**
         * A wrong QoS downgrade: a QoS 2 copy goes out to the subscriber at QoS 1, although
         * min(publish QoS, subscription QoS) is 2 [v3.1.1 MQTT-3.8.4-6; v5 MQTT-3.8.4-8].
         */
        WRONG_DOWNGRADE
    }

    /** The identifier offset that makes a repeated QoS 2 PUBLISH look new to the real core. */
    private static final int SHIFT = 30_000;

    private final TestedCore real;
    private final Fault fault;
    private int corruptions;

    BrokenCore(TestedCore real, Fault fault) {
        this.real = real;
        this.fault = fault;
    }

    /** How often the fault changed what the core did; 0 means this run never exercised it. */
    int corruptions() {
        return corruptions;
    }

    @Override
    public BrokerConfig config() {
        return real.config();
    }

    @Override
    public BrokerState initialState() {
        return real.initialState();
    }

    @Override
    public Step connectionOpened(BrokerState state, ConnectionId connection, long nowMillis) {
        return corrupt(real.connectionOpened(state, connection, nowMillis));
    }

    @Override
    public Step packetReceived(BrokerState state, ConnectionId connection, Packet packet, long nowMillis,
                               String serverNonce) {
        if (fault == Fault.QOS2_NO_DEDUP && packet instanceof Publish p && p.qos() == QoS.EXACTLY_ONCE && p.dup()) {
            // Hide the repeat behind a fresh identifier, and give the client back its own in PUBREC.
            corruptions++;
            Publish disguised = new Publish(p.topic(), p.payload(), p.qos(), p.retain(), false,
                    p.packetId() + SHIFT, p.properties());
            Step step = real.packetReceived(state, connection, disguised, nowMillis);
            // Release the disguised identifier at once, so the real core's state stays tidy.
            Step released = real.packetReceived(step.state(), connection, new PubRel(p.packetId() + SHIFT), nowMillis);
            List<Effect> effects = new ArrayList<>();
            for (Effect e : step.effects()) {
                if (e instanceof Effect.Send s && s.packet() instanceof PubRec r && r.packetId() == p.packetId() + SHIFT) {
                    effects.add(new Effect.Send(s.connection(), new PubRec(p.packetId())));
                } else {
                    effects.add(e);
                }
            }
            return corrupt(new Step(released.state(), effects));
        }
        return corrupt(real.packetReceived(state, connection, packet, nowMillis, serverNonce));
    }

    @Override
    public Step connectionLost(BrokerState state, ConnectionId connection, long nowMillis) {
        return corrupt(real.connectionLost(state, connection, nowMillis));
    }

    @Override
    public Step malformedPacket(BrokerState state, ConnectionId connection, ReasonCode reason, String detail,
                                ProtocolVersion version, long nowMillis) {
        return corrupt(real.malformedPacket(state, connection, reason, detail, version, nowMillis));
    }

    @Override
    public Step shutdown(BrokerState state, long nowMillis) {
        return corrupt(real.shutdown(state, nowMillis));
    }

    @Override
    public Step timerFired(BrokerState state, Timer timer, long nowMillis) {
        return corrupt(real.timerFired(state, timer, nowMillis));
    }

    private Step corrupt(Step step) {
        if (fault != Fault.WRONG_DOWNGRADE) {
            return step;
        }
        List<Effect> effects = new ArrayList<>(step.effects().size());
        for (Effect e : step.effects()) {
            if (e instanceof Effect.Send s && s.packet() instanceof Publish p && p.qos() == QoS.EXACTLY_ONCE) {
                corruptions++;
                effects.add(new Effect.Send(s.connection(), new Publish(p.topic(), p.payload(), QoS.AT_LEAST_ONCE,
                        p.retain(), p.dup(), p.packetId(), p.properties())));
            } else {
                effects.add(e);
            }
        }
        return new Step(step.state(), effects);
    }

    @Override
    public String toString() {
        return "BrokenCore(" + fault + ")";
    }
}
