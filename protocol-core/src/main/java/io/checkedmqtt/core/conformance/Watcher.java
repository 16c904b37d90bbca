package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.effect.ClientRule;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketText;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.session.Session;

/**
 * The watch over a client under test as pure functions {@code (watch, input, now) -> (watch',
 * findings)}: every packet the client sent, every packet the core sent it, every fault the shell
 * put on its wire, its connections coming and going, and deadlines. From these it keeps the wire
 * as the client sees it and judges the client against the statements that bind it
 * ({@link ClientRule}): the same packet identifier for a new message while the old one is in
 * flight, a resend without DUP or under another identifier, a PUBREL without PUBREC, an
 * acknowledgement of nothing, silence beyond Keep Alive, what a resumed session owes not sent
 * again. It never changes what the broker does; only a probe asks the broker core for a cut or a
 * queued message ({@link WatchStep}).
 *
 * <p>A breach is reported only when the wire proves it: a packet identifier counts as in use by
 * the client while the answer that frees it has not been written to the client (it was dropped
 * or held back by a fault), so a client that reuses an identifier the instant the broker answers
 * is never accused.
 */
public final class Watcher {

    private final Owing owing;

    public Watcher(WatchConfig config) {
        this.owing = new Owing(config);
    }

    /** The client's CONNECT was accepted on {@code conn}: the watch (new, or the one it had) follows it there. */
    public ClientWatch attached(ClientWatch w, String clientId, ConnectionId conn, ProtocolVersion version) {
        return (w == null ? ClientWatch.fresh(clientId, version) : w).on(conn, version);
    }

    /** A successful CONNACK went to the client: its session resumed (Session Present 1) or is new. */
    public WatchStep connected(ClientWatch w, boolean resumed, long now) {
        Findings out = new Findings(w, now);
        return out.step(owing.connected(w, resumed, out));
    }

    /** The core closed the client's connection ({@code Effect.Close}): a breach when the client caused it. */
    public WatchStep closed(ClientWatch w, ReasonCode reason, String detail, long now) {
        Findings out = new Findings(w, now);
        Closes.judge(reason, detail, out);
        return disconnected(w, out);
    }

    /** The client's connection is gone (closed by either side, or lost). */
    public WatchStep disconnected(ClientWatch w, long now) {
        return disconnected(w, new Findings(w, now));
    }

    private WatchStep disconnected(ClientWatch w, Findings out) {
        ClientWatch next = owing.disconnected(w.on(null, w.version()), out);
        out.note(new Note.Summary(out.report().summary()));
        return out.step(next);
    }

    /** The broker queued the probe message for the client's offline session, or could not. */
    public WatchStep probeMessageQueued(ClientWatch w, boolean queued, long now) {
        Findings out = new Findings(w, now);
        return out.step(owing.probeMessageQueued(w, queued, out));
    }

    /** The watch's deadline came: overdue resends and acknowledgements, probes that waited. */
    public WatchStep deadline(ClientWatch w, long now) {
        Findings out = new Findings(w, now);
        return out.step(owing.due(w, out));
    }

    /**
     * A packet from the client, before the core handles it.
     *
     * @param s the client's session as the packet finds it (online)
     */
    public WatchStep inbound(ClientWatch w, Session s, Packet packet, long now) {
        Findings out = new Findings(w, now);
        ClientWatch next = KeepAliveCheck.check(w, s, packet, out).heard(now);
        if (packet instanceof Publish p && p.qos() != QoS.AT_MOST_ONCE) {
            next = new SenderChecks(owing, out).publish(next, s, p);
        } else if (packet instanceof PubRel r) {
            next = new SenderChecks(owing, out).pubRel(next, s, r);
        } else if (packet instanceof Subscribe sub) {
            next = new SenderChecks(owing, out).request(next, sub.packetId(), PacketType.SUBSCRIBE,
                    sub.subscriptions().hashCode(), PacketText.of(sub));
        } else if (packet instanceof Unsubscribe unsub) {
            next = new SenderChecks(owing, out).request(next, unsub.packetId(), PacketType.UNSUBSCRIBE,
                    unsub.topicFilters().hashCode(), PacketText.of(unsub));
        } else if (packet instanceof PubAck || packet instanceof PubRec || packet instanceof PubComp) {
            next = new ReceiverChecks(owing, out).acknowledgement(next, s, packet);
        }
        return out.step(next);
    }

    /** A packet the core sent the client (unless a fault says otherwise right after). */
    public ClientWatch outbound(ClientWatch w, Packet packet) {
        if (packet instanceof PubAck a) {
            return ended(w, a.packetId());
        } else if (packet instanceof PubRec r) {
            Flow f = w.flows().get(r.packetId());
            return f == null ? w : w.withFlow(f.at(r.reasonCode().isError() ? Flow.Stage.DONE
                    : Flow.Stage.AWAITING_PUBREL));
        } else if (packet instanceof PubComp c) {
            return ended(w, c.packetId());
        } else if (packet instanceof SubAck a) {
            return ended(w, a.packetId());
        } else if (packet instanceof UnsubAck a) {
            return ended(w, a.packetId());
        } else if (packet instanceof Publish p && p.qos() != QoS.AT_MOST_ONCE) {
            ClientWatch next = w.withWithheldOut(w.withheldOut().remove(p.packetId()));
            return ProbeMessage.is(p) ? owing.probeMessageSent(next, p.packetId()) : next;
        } else if (packet instanceof PubRel r) {
            return w.withWithheldOut(w.withheldOut().remove(r.packetId()));
        }
        return w;
    }

    private static ClientWatch ended(ClientWatch w, int id) {
        Flow f = w.flows().get(id);
        return f == null ? w : w.withFlow(f.at(Flow.Stage.DONE));
    }

    /** What the shell did to the client's wire (a fault rule or a probe). */
    public WatchStep fault(ClientWatch w, WireFault fault, long now) {
        Findings out = new Findings(w, now);
        return out.step(new FaultEffects(owing, out).apply(w, fault));
    }

    /** Whether a PUBLISH is a probe's own message (so the shell and tests can tell it apart). */
    public static boolean isProbeMessage(Publish p) {
        return ProbeMessage.is(p);
    }

    /** The probe this watch still waits on of {@code kind}, for tests: how many runs are open. */
    public static int openRuns(ClientWatch w, ProbeKind kind) {
        int n = 0;
        for (Owed o : w.owed()) {
            if (o.probe() == kind) {
                n++;
            }
        }
        return n;
    }
}
