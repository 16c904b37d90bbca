package io.checkedmqtt.broker.clienttest;

import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.config.ProbeSpec;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Decides, packet by packet, what the fault rules and probes do to a client's wire: nothing,
 * drop, delay, duplicate, cut after, or pause reading. It sees only packet types, identifiers and
 * flags, the client identifier and its own counters; carrying the decision out is the loop's job.
 *
 * <p>Probes come first. {@code qos1-retry} drops the PUBACK that answers a QoS 1 PUBLISH with
 * DUP 0, once per packet identifier until that identifier is answered again; {@code qos2-cut}
 * cuts after the PUBREC that answers a QoS 2 PUBLISH with DUP 0; {@code offline-queue} cuts after
 * a SUBACK that granted QoS 1 or 2; {@code qos2-receive-cut} cuts after the client's PUBREC for a
 * QoS 2 PUBLISH of the broker's; each acts {@code count} times per client identifier. Then the
 * first rule that covers the packet and the client, has count left, and (with a probability)
 * wins its draw, acts. Each rule's draws for each client come from their own generator, seeded
 * from {@code fault_seed}, the rule and the client identifier, so a client sees the same faults
 * in every run whatever the other clients do. Loop thread only.
 */
public final class FaultInjector {

    /** A decision: the action (null for none), how long for delays, and what caused it. */
    public record Decision(FaultRule.Action action, long delayMillis, String cause, ProbeKind probe) {
        public static final Decision NONE = new Decision(null, 0, "", null);

        public boolean acts() {
            return action != null;
        }
    }

    /** What the injector remembers about one client identifier. */
    private static final class ClientMemory {
        final Map<String, Integer> uses = new HashMap<>();
        final Map<String, SplittableRandom> draws = new HashMap<>();
        final Set<Integer> ackWithheld = new HashSet<>();
        int lastPublishId;
        QoS lastPublishQos;
        boolean lastPublishDup;
    }

    private List<FaultRule> rules;
    private List<ProbeSpec> probes;
    private final long seed;
    private final Map<String, ClientMemory> clients = new HashMap<>();

    public FaultInjector(List<FaultRule> rules, List<ProbeSpec> probes, long seed) {
        this.rules = List.copyOf(rules);
        this.probes = List.copyOf(probes);
        this.seed = seed;
    }

    public List<FaultRule> rules() {
        return rules;
    }

    public void rules(List<FaultRule> value) {
        rules = List.copyOf(value);
    }

    public void probes(List<ProbeSpec> value) {
        probes = List.copyOf(value);
    }

    /** Whether any rule or probe could act on this client. */
    public boolean appliesTo(String clientId) {
        for (FaultRule r : rules) {
            if (r.clients().matches(clientId)) {
                return true;
            }
        }
        for (ProbeSpec p : probes) {
            if (p.appliesTo(clientId)) {
                return true;
            }
        }
        return false;
    }

    /** A packet the client sent, before the core sees it. */
    public Decision inbound(String clientId, Packet packet) {
        ClientMemory m = memory(clientId);
        if (packet instanceof Publish p && p.qos() != QoS.AT_MOST_ONCE) {
            m.lastPublishId = p.packetId();
            m.lastPublishQos = p.qos();
            m.lastPublishDup = p.dup();
        }
        if (packet instanceof PubRec r && !r.reasonCode().isError() && take(clientId, m, ProbeKind.QOS2_RECEIVE_CUT)) {
            return new Decision(FaultRule.Action.DISCONNECT_AFTER, 0, "probe.qos2-receive-cut",
                    ProbeKind.QOS2_RECEIVE_CUT);
        }
        return byRule(clientId, m, packet, false);
    }

    /** A packet the core made for the client, before it is queued. */
    public Decision outbound(String clientId, Packet packet) {
        ClientMemory m = memory(clientId);
        Decision probe = byProbe(clientId, m, packet);
        if (probe.acts()) {
            return probe;
        }
        return byRule(clientId, m, packet, true);
    }

    private Decision byProbe(String clientId, ClientMemory m, Packet packet) {
        if (packet instanceof PubAck a) {
            if (m.ackWithheld.remove(a.packetId())) {
                return Decision.NONE;   // the answer to the resend goes out
            }
            if (answersNew(m, a.packetId(), QoS.AT_LEAST_ONCE) && take(clientId, m, ProbeKind.QOS1_RETRY)) {
                m.ackWithheld.add(a.packetId());
                return new Decision(FaultRule.Action.DROP, 0, "probe.qos1-retry", ProbeKind.QOS1_RETRY);
            }
        } else if (packet instanceof PubRec r) {
            if (!r.reasonCode().isError() && answersNew(m, r.packetId(), QoS.EXACTLY_ONCE)
                    && take(clientId, m, ProbeKind.QOS2_CUT)) {
                return new Decision(FaultRule.Action.DISCONNECT_AFTER, 0, "probe.qos2-cut", ProbeKind.QOS2_CUT);
            }
        } else if (packet instanceof SubAck s) {
            if ((s.reasonCodes().contains(ReasonCode.GRANTED_QOS_1) || s.reasonCodes().contains(ReasonCode.GRANTED_QOS_2))
                    && take(clientId, m, ProbeKind.OFFLINE_QUEUE)) {
                return new Decision(FaultRule.Action.DISCONNECT_AFTER, 0, "probe.offline-queue",
                        ProbeKind.OFFLINE_QUEUE);
            }
        }
        return Decision.NONE;
    }

    /** Whether an acknowledgement answers the client's last PUBLISH, a first send (DUP 0) at this QoS. */
    private static boolean answersNew(ClientMemory m, int packetId, QoS qos) {
        return m.lastPublishQos == qos && m.lastPublishId == packetId && !m.lastPublishDup;
    }

    /** Whether the client has a run of this probe left; if so, one is used. */
    private boolean take(String clientId, ClientMemory m, ProbeKind kind) {
        for (ProbeSpec p : probes) {
            if (p.kind() == kind && p.appliesTo(clientId)) {
                String key = "probe." + kind.label();
                int used = m.uses.getOrDefault(key, 0);
                if (used < p.count()) {
                    m.uses.put(key, used + 1);
                    return true;
                }
            }
        }
        return false;
    }

    private Decision byRule(String clientId, ClientMemory m, Packet packet, boolean out) {
        for (FaultRule r : rules) {
            if (!r.covers(packet, out) || !r.clients().matches(clientId)) {
                continue;
            }
            int used = m.uses.getOrDefault(r.text(), 0);
            if (r.count() > 0 && used >= r.count()) {
                continue;
            }
            if (r.probability() < 1.0 && draws(m, r, clientId).nextDouble() >= r.probability()) {
                continue;
            }
            if (r.action() == FaultRule.Action.DUPLICATE
                    && !(packet instanceof Publish p && p.qos() != QoS.AT_MOST_ONCE)) {
                continue;   // only a QoS 1/2 PUBLISH can be sent again
            }
            m.uses.put(r.text(), used + 1);
            return new Decision(r.action(), r.delayMillis(), "rule: " + r.text(), null);
        }
        return Decision.NONE;
    }

    private SplittableRandom draws(ClientMemory m, FaultRule r, String clientId) {
        return m.draws.computeIfAbsent(r.text(),
                text -> new SplittableRandom(seed * 1_000_003L + text.hashCode() * 31L + clientId.hashCode()));
    }

    private ClientMemory memory(String clientId) {
        return clients.computeIfAbsent(clientId, id -> new ClientMemory());
    }
}
