package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.testkit.TestedCore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately wrong broker, made by corrupting the real core's inputs, outputs or new state.
 * It exists only in model-tests (production code is untouched), so that the build proves the
 * model test and the trace validation can fail: each of them must reject every {@link Fault}.
 * The mutation table ({@code MutationTableTest}, {@code -Pmutants}) says which check catches which.
 */
final class BrokenCore implements TestedCore {

    /** The wrong behaviours on offer: plausible bugs of a broker core. */
    enum Fault {
        /**
         * Dedup skipped on DUP: a repeated QoS 2 PUBLISH (DUP = 1, identifier still awaiting
         * PUBREL) is routed again [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-10].
         */
        QOS2_NO_DEDUP,
        /**
         * No resend on reconnect: a resumed session's in-flight PUBLISH / PUBREL are not sent again
         * [v3.1.1 MQTT-4.4.0-1; v5 MQTT-4.4.0-1]; they stay in flight, unsent.
         */
        NO_RESEND_ON_RECONNECT,
        /**
         * QoS not downgraded: a copy goes out at the publish QoS although the subscription was
         * granted less [v3.1.1 MQTT-3.8.4-6; v5 MQTT-3.8.4-8].
         */
        QOS_NOT_DOWNGRADED,
        /**
         * A wrong QoS downgrade: a QoS 2 copy goes out to the subscriber at QoS 1, although
         * min(publish QoS, subscription QoS) is 2 [v3.1.1 MQTT-3.8.4-6; v5 MQTT-3.8.4-8].
         */
        WRONG_DOWNGRADE,
        /**
         * An acknowledged message kept in flight: a PUBACK does not end the flow [v3.1.1
         * MQTT-4.3.2-1; v5 MQTT-4.3.2-3], so the window fills with messages the client already has.
         */
        ACKED_KEPT_IN_FLIGHT,
        /** Resend in reverse send order after a reconnect [v3.1.1 MQTT-4.6.0-6; v5 MQTT-4.6.0-5]. */
        RESEND_REVERSE_ORDER,
        /**
         * Queued messages sent before the resends after a reconnect [v3.1.1 MQTT-4.6.0-6;
         * v5 MQTT-4.4.0-1, MQTT-4.6.0-5]: a later message reaches the subscriber before an earlier one.
         */
        QUEUED_BEFORE_RESENDS,
        /**
         * A Clean Start that keeps the old session's inbound QoS 2 identifiers awaiting PUBREL
         * [v3.1.1 MQTT-3.1.2-6; v5 MQTT-3.1.2-4]: a new QoS 2 PUBLISH that reuses one of them is
         * answered with PUBREC and never routed. Its packets look right until such a PUBLISH
         * comes; the state mapping of the trace validation sees it at the CONNECT.
         */
        INBOUND_QOS2_KEPT_ON_CLEAN_START,
        /**
         * Session Present 0 on a resumed session [v3.1.1 MQTT-3.2.2-2; v5 MQTT-3.2.2-3]: the
         * client discards its own session state while the server keeps its.
         */
        SESSION_PRESENT_LOST,
        /** A PUBREL is not answered with PUBCOMP [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-11]. */
        PUBREL_NOT_ANSWERED,
        /**
         * A resumed session's queued messages are not sent at the reconnect, though the window
         * has room [v3.1.1 MQTT-4.4.0-1]; they wait for the next acknowledgement or routing, and
         * a subscriber that stays quiet never gets them. The core's state says "queued" and is
         * consistent with its packets, so only the end of the run shows it (QuiescentAtEnd).
         */
        QUEUE_NOT_DRAINED_ON_RECONNECT
    }

    /** The identifier offset that makes a repeated QoS 2 PUBLISH look new to the real core. */
    private static final int SHIFT = 30_000;

    private final TestedCore real;
    private final Fault fault;
    /** The publish QoS of each message (messages have unique payloads in the runs). */
    private final Map<String, QoS> publishQos = new HashMap<>();
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
        if (packet instanceof Publish p) {
            publishQos.putIfAbsent(payload(p), p.qos());
        }
        if (fault == Fault.QOS2_NO_DEDUP && packet instanceof Publish p && p.qos() == QoS.EXACTLY_ONCE && p.dup()) {
            return routeAgain(state, connection, p, nowMillis);
        }
        if (fault == Fault.ACKED_KEPT_IN_FLIGHT && packet instanceof PubAck) {
            corruptions++;
            return new Step(state, List.of());  // the acknowledgement is lost inside the core
        }
        if (packet instanceof Connect c) {
            return corrupt(connect(state, connection, c, nowMillis, serverNonce));
        }
        return corrupt(real.packetReceived(state, connection, packet, nowMillis, serverNonce));
    }

    /** Hide a repeated QoS 2 PUBLISH behind a fresh identifier, and give the client back its own in PUBREC. */
    private Step routeAgain(BrokerState state, ConnectionId connection, Publish p, long nowMillis) {
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

    /** The faults that show at a CONNECT. */
    private Step connect(BrokerState state, ConnectionId connection, Connect c, long nowMillis, String nonce) {
        Session old = state.session(c.clientId());
        Step step = real.packetReceived(state, connection, c, nowMillis, nonce);
        Session fresh = step.state().session(c.clientId());
        if (old == null || fresh == null) {
            return step;
        }
        Step broken = switch (fault) {
            case INBOUND_QOS2_KEPT_ON_CLEAN_START -> c.cleanStart() && old.awaitingPubRel().size() > 0
                    ? new Step(step.state().withSession(c.clientId(), fresh.withAwaitingPubRel(old.awaitingPubRel())),
                            step.effects())
                    : step;
            case NO_RESEND_ON_RECONNECT -> new Step(step.state(), ConnectSends.withoutResends(step.effects(), connection));
            case RESEND_REVERSE_ORDER -> new Step(step.state(), ConnectSends.resendsReversed(step.effects(), connection));
            case QUEUED_BEFORE_RESENDS -> new Step(step.state(), ConnectSends.newFirst(step.effects(), connection));
            case SESSION_PRESENT_LOST -> new Step(step.state(), withoutSessionPresent(step.effects()));
            case QUEUE_NOT_DRAINED_ON_RECONNECT -> c.cleanStart() ? step
                    : ConnectSends.undrained(step, connection, c.clientId(), old);
            default -> step;
        };
        if (!broken.equals(step)) {
            corruptions++;
        }
        return broken;
    }

    private static List<Effect> withoutSessionPresent(List<Effect> effects) {
        List<Effect> out = new ArrayList<>(effects.size());
        for (Effect e : effects) {
            if (e instanceof Effect.Send s && s.packet() instanceof Connack a && a.sessionPresent()) {
                out.add(new Effect.Send(s.connection(), new Connack(false, a.reasonCode(), a.properties())));
            } else {
                out.add(e);
            }
        }
        return out;
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

    @Override
    public Step recovered(BrokerState state, long nowMillis) {
        return corrupt(real.recovered(state, nowMillis));
    }

    /** The faults that rewrite single packets the core sends, whatever the input. */
    private Step corrupt(Step step) {
        if (fault != Fault.WRONG_DOWNGRADE && fault != Fault.QOS_NOT_DOWNGRADED && fault != Fault.PUBREL_NOT_ANSWERED) {
            return step;
        }
        List<Effect> effects = new ArrayList<>(step.effects().size());
        for (Effect e : step.effects()) {
            Packet sent = e instanceof Effect.Send s ? s.packet() : null;
            Packet wrong = sent == null ? null : wrong(sent);
            if (wrong == sent) {
                effects.add(e);
            } else {
                corruptions++;
                if (wrong != null) {
                    effects.add(new Effect.Send(((Effect.Send) e).connection(), wrong));
                }
            }
        }
        return new Step(step.state(), effects);
    }

    /** The packet this fault sends instead of {@code p}: {@code p} itself, another one, or null for none. */
    private Packet wrong(Packet p) {
        if (fault == Fault.PUBREL_NOT_ANSWERED) {
            return p instanceof PubComp ? null : p;
        }
        if (!(p instanceof Publish pub) || pub.qos() == QoS.AT_MOST_ONCE) {
            return p;
        }
        QoS qos = fault == Fault.WRONG_DOWNGRADE
                ? (pub.qos() == QoS.EXACTLY_ONCE ? QoS.AT_LEAST_ONCE : pub.qos())
                : publishQos.getOrDefault(payload(pub), pub.qos());
        return qos == pub.qos() ? p
                : new Publish(pub.topic(), pub.payload(), qos, pub.retain(), pub.dup(), pub.packetId(), pub.properties());
    }

    private static String payload(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "BrokenCore(" + fault + ")";
    }
}
