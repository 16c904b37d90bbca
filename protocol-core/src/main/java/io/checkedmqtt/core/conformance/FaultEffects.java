package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketText;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;

/**
 * How each {@link WireFault} changes the wire as the client sees it: an answer it did not get
 * leaves its packet in flight, a PUBLISH or PUBREL it did not get is one it must not answer, a
 * packet of its own the broker dropped is one it waits on; and how a probe that acted starts a
 * run. Local to one transition.
 */
final class FaultEffects {

    private final Owing owing;
    private final Findings out;

    FaultEffects(Owing owing, Findings out) {
        this.owing = owing;
        this.out = out;
    }

    ClientWatch apply(ClientWatch w, WireFault fault) {
        if (fault instanceof WireFault.Withheld f) {
            return withheld(w, f.packet(), f.probe());
        } else if (fault instanceof WireFault.Released f) {
            return released(w, f.packet());
        } else if (fault instanceof WireFault.Discarded f) {
            return discarded(w.heard(out.now()), f.packet());
        } else if (fault instanceof WireFault.Cut f) {
            return cut(w, f);
        } else if (fault instanceof WireFault.ReadPaused f) {
            return w.pausedUntil(f.untilMillis());
        }
        return w;   // Duplicated: the broker core keeps the identifier off new messages; nothing to judge
    }

    private ClientWatch withheld(ClientWatch w, Packet packet, ProbeKind probe) {
        if (packet instanceof PubAck a) {
            ClientWatch next = stage(w, a.packetId(), Flow.Stage.ANSWER_WITHHELD);
            Flow f = next.flows().get(a.packetId());
            if (probe == ProbeKind.QOS1_RETRY && f != null) {
                next = owing.add(next, new Owed(Owed.Kind.RESEND_PUBLISH, f.packetId(), f.fingerprint(), f.line(),
                        Owed.Phase.IN_CONNECTION, out.now() + owing.window(w, probe), probe, out.now()));
            }
            return next;
        } else if (packet instanceof PubRec r) {
            return stage(w, r.packetId(), Flow.Stage.ANSWER_WITHHELD);
        } else if (packet instanceof PubComp c) {
            return stage(w, c.packetId(), Flow.Stage.PUBCOMP_WITHHELD);
        } else if (packet instanceof SubAck a) {
            return stage(w, a.packetId(), Flow.Stage.ANSWER_WITHHELD);
        } else if (packet instanceof UnsubAck a) {
            return stage(w, a.packetId(), Flow.Stage.ANSWER_WITHHELD);
        } else if (packet instanceof Publish p && p.qos() != QoS.AT_MOST_ONCE) {
            return w.withWithheldOut(w.withheldOut().add(p.packetId()));
        } else if (packet instanceof PubRel r) {
            return w.withWithheldOut(w.withheldOut().add(r.packetId()));
        }
        return w;
    }

    private static ClientWatch released(ClientWatch w, Packet packet) {
        if (packet instanceof PubAck a) {
            return stage(w, a.packetId(), Flow.Stage.DONE);
        } else if (packet instanceof PubRec r) {
            return stage(w, r.packetId(), r.reasonCode().isError() ? Flow.Stage.DONE : Flow.Stage.AWAITING_PUBREL);
        } else if (packet instanceof PubComp c) {
            return stage(w, c.packetId(), Flow.Stage.DONE);
        } else if (packet instanceof SubAck a) {
            return stage(w, a.packetId(), Flow.Stage.DONE);
        } else if (packet instanceof UnsubAck a) {
            return stage(w, a.packetId(), Flow.Stage.DONE);
        } else if (packet instanceof Publish p && p.qos() != QoS.AT_MOST_ONCE) {
            return w.withWithheldOut(w.withheldOut().remove(p.packetId()));
        } else if (packet instanceof PubRel r) {
            return w.withWithheldOut(w.withheldOut().remove(r.packetId()));
        }
        return w;
    }

    /** A packet of the client's that the core never saw: the client waits for an answer that cannot come. */
    private ClientWatch discarded(ClientWatch w, Packet packet) {
        if (packet instanceof Publish p && p.qos() != QoS.AT_MOST_ONCE) {
            return w.withFlow(new Flow(p.packetId(), PacketType.PUBLISH, p.qos().value(), Fingerprint.of(p),
                    PacketText.of(p), w.connection(), out.now(), Flow.Stage.ANSWER_WITHHELD));
        } else if (packet instanceof PubRel r) {
            return stage(w, r.packetId(), Flow.Stage.PUBCOMP_WITHHELD);
        } else if (packet instanceof Subscribe s) {
            return w.withFlow(new Flow(s.packetId(), PacketType.SUBSCRIBE, 0, s.subscriptions().hashCode(),
                    PacketText.of(s), w.connection(), out.now(), Flow.Stage.ANSWER_WITHHELD));
        } else if (packet instanceof Unsubscribe u) {
            return w.withFlow(new Flow(u.packetId(), PacketType.UNSUBSCRIBE, 0, u.topicFilters().hashCode(),
                    PacketText.of(u), w.connection(), out.now(), Flow.Stage.ANSWER_WITHHELD));
        }
        return w;
    }

    /** A cut a probe made starts its run: what the client must do once it is back. */
    private ClientWatch cut(ClientWatch w, WireFault.Cut f) {
        if (f.probe() == ProbeKind.QOS2_CUT && f.after() instanceof PubRec r) {
            Flow flow = w.flows().get(r.packetId());
            return owing.add(w, new Owed(Owed.Kind.RESEND_PUBREL, r.packetId(),
                    flow == null ? 0 : flow.fingerprint(), flow == null ? PacketText.of(r) : flow.line(),
                    Owed.Phase.AWAIT_RECONNECT, Owed.NO_DEADLINE, f.probe(), out.now()));
        }
        if (!f.outbound() && f.after() instanceof PubRec r) {
            // cut before the broker's PUBREL went out: the client must still hold the flow when it comes again
            return owing.add(w, new Owed(Owed.Kind.COMPLETE, r.packetId(), 0, PacketText.of(r),
                    Owed.Phase.AWAIT_RECONNECT, Owed.NO_DEADLINE, f.probe(), out.now()));
        }
        if (f.probe() == ProbeKind.OFFLINE_QUEUE) {
            return owing.add(w, new Owed(Owed.Kind.ACKNOWLEDGE, Owing.NOT_QUEUED, 0,
                    "PUBLISH payload=\"" + ProbeMessage.PAYLOAD + "\"", Owed.Phase.AWAIT_RECONNECT, Owed.NO_DEADLINE,
                    f.probe(), out.now()));
        }
        return w;
    }

    private static ClientWatch stage(ClientWatch w, int id, Flow.Stage stage) {
        Flow f = w.flows().get(id);
        return f == null ? w : w.withFlow(f.at(stage));
    }
}
