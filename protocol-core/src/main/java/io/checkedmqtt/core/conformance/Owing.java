package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.config.ProbeSpec;
import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.effect.ClientRule;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.PacketType;

import java.util.ArrayList;
import java.util.List;

/**
 * What a watched client owes and the verdicts of its probes: created when a fault or a probe
 * leaves the client something to do, moved along when the client comes back, settled by the
 * packets that do it, and judged when its deadline passes. Part of {@link Watcher}.
 */
final class Owing {

    /** {@link Owed#packetId()} of a probe message not queued yet. */
    static final int NOT_QUEUED = -1;
    /** {@link Owed#packetId()} of a probe message queued but not sent yet. */
    static final int NOT_SENT = 0;

    private final WatchConfig config;

    Owing(WatchConfig config) {
        this.config = config;
    }

    /** How long the client has for {@code probe} (or for a resend any watched client owes). */
    long window(ClientWatch w, ProbeKind probe) {
        ProbeSpec spec = probe == null ? null : config.probe(probe, w.clientId());
        return spec != null ? spec.timeoutMillis() : config.resendWindowMillis();
    }

    /** What each probe checks, in the client's version. */
    static String statements(ProbeKind probe, boolean v5) {
        return switch (probe) {
            case QOS1_RETRY -> v5 ? "MQTT-4.4.0-1 MQTT-3.3.1-1" : "MQTT-4.4.0-1 MQTT-3.3.1-1 MQTT-2.3.1-3";
            case QOS2_CUT -> "MQTT-4.4.0-1 MQTT-3.3.1-1";
            case OFFLINE_QUEUE -> "MQTT-4.5.0-2";
            case QOS2_RECEIVE_CUT -> v5 ? "MQTT-4.3.3-10 MQTT-4.3.3-11 MQTT-4.4.0-1" : "MQTT-4.3.3-2 MQTT-4.4.0-1";
        };
    }

    ClientWatch add(ClientWatch w, Owed owed) {
        List<Owed> more = new ArrayList<>(w.owed());
        more.add(owed);
        return w.withOwed(more);
    }

    /**
     * The client's CONNECT was accepted. When its session resumed, everything it had in flight
     * is owed again within the window [MQTT-4.4.0-1], and waiting probes start their clocks;
     * when it started clean, it owes nothing and waiting probes cannot judge.
     */
    ClientWatch connected(ClientWatch w, boolean resumed, Findings out) {
        long now = out.now();
        List<Owed> next = new ArrayList<>();
        if (!resumed) {
            for (Owed o : w.owed()) {
                if (o.probe() != null) {
                    out.verdict(o.probe(), Note.Outcome.NOT_APPLICABLE, statements(o.probe(), w.version().isV5()),
                            "the client came back with a clean session (Clean Start / CleanSession 1), which owes "
                                    + "nothing of the old one");
                }
            }
            return w.withOwed(next).withFlows(io.checkedmqtt.core.collect.PersistentMap.empty())
                    .withWithheldOut(io.checkedmqtt.core.session.PacketIdSet.EMPTY);
        }
        for (Owed o : w.owed()) {
            next.add(o.phase() == Owed.Phase.AFTER_RECONNECT ? o
                    : o.in(Owed.Phase.AFTER_RECONNECT, now + window(w, o.probe())));
        }
        ClientWatch c = w.withWithheldOut(io.checkedmqtt.core.session.PacketIdSet.EMPTY);
        for (Flow f : w.flows().values()) {
            if (!f.inFlight()) {
                continue;
            }
            if (f.type() != PacketType.PUBLISH) {
                c = c.withFlow(f.at(Flow.Stage.DONE));   // SUBSCRIBE and UNSUBSCRIBE are not resent
            } else if (owedFor(next, f.packetId()) == null) {
                Owed.Kind kind = f.stage() == Flow.Stage.PUBCOMP_WITHHELD ? Owed.Kind.RESEND_PUBREL
                        : Owed.Kind.RESEND_PUBLISH;
                next.add(new Owed(kind, f.packetId(), f.fingerprint(), f.line(), Owed.Phase.AFTER_RECONNECT,
                        now + config.resendWindowMillis(), null, now));
            }
        }
        return c.withOwed(next);
    }

    /** The connection ended: what was owed on it is now owed after the client returns. */
    ClientWatch disconnected(ClientWatch w, Findings out) {
        List<Owed> next = new ArrayList<>(w.owed().size());
        for (Owed o : w.owed()) {
            if (o.kind() == Owed.Kind.ACKNOWLEDGE && o.packetId() == NOT_QUEUED) {
                out.queueProbeMessage();
            }
            next.add(o.phase() == Owed.Phase.IN_CONNECTION ? o.in(Owed.Phase.AWAIT_RECONNECT, Owed.NO_DEADLINE) : o);
        }
        return w.withOwed(next);
    }

    /** The probe message was queued for the offline session, or could not be (the session ended). */
    ClientWatch probeMessageQueued(ClientWatch w, boolean queued, Findings out) {
        List<Owed> next = new ArrayList<>(w.owed().size());
        for (Owed o : w.owed()) {
            if (o.kind() == Owed.Kind.ACKNOWLEDGE && o.packetId() == NOT_QUEUED) {
                if (queued) {
                    next.add(o.withPacketId(NOT_SENT));
                } else {
                    out.verdict(o.probe(), Note.Outcome.NOT_APPLICABLE, statements(o.probe(), w.version().isV5()),
                            "the session ended with its connection (Clean Start / CleanSession 1, or no Session "
                                    + "Expiry Interval): nothing can be queued for it");
                }
            } else {
                next.add(o);
            }
        }
        return w.withOwed(next);
    }

    /** Deadlines that passed: a probe that waited inside the connection cuts it; the rest are breaches. */
    ClientWatch due(ClientWatch w, Findings out) {
        long now = out.now();
        List<Owed> next = new ArrayList<>(w.owed().size());
        for (Owed o : w.owed()) {
            if (o.dueMillis() > now) {
                next.add(o);
            } else if (o.phase() == Owed.Phase.IN_CONNECTION) {
                out.cut("probe." + o.probe().label() + ": " + o.line() + " not sent again within "
                        + (now - o.sinceMillis()) + " ms; the broker cuts the connection, so it must come on reconnect");
                next.add(o.in(Owed.Phase.AWAIT_RECONNECT, Owed.NO_DEADLINE));
            } else {
                missed(w, o, out);
            }
        }
        return w.withOwed(next);
    }

    private static void missed(ClientWatch w, Owed o, Findings out) {
        long waited = out.now() - o.sinceMillis();
        if (o.kind() == Owed.Kind.COMPLETE) {
            String what = "PUBREL id=" + o.packetId() + " was not answered with PUBCOMP within " + waited
                    + " ms of the session resuming";
            out.breach(ClientRule.PUBREL_NOT_ANSWERED, what, o.line());
            if (o.probe() != null) {
                out.verdict(o.probe(), Note.Outcome.FAIL, ClientRule.PUBREL_NOT_ANSWERED.statement(out.version()),
                        what);
            }
            return;
        }
        if (o.kind() == Owed.Kind.ACKNOWLEDGE) {
            String what = "the PUBLISH id=" + o.packetId() + " the broker queued for the offline session was not"
                    + " acknowledged " + waited + " ms after it was owed";
            out.breach(ClientRule.NOT_ACKNOWLEDGED, what, o.line());
            if (o.probe() != null) {
                out.verdict(o.probe(), Note.Outcome.FAIL, ClientRule.NOT_ACKNOWLEDGED.statement(out.version()), what);
            }
            return;
        }
        String what = (o.kind() == Owed.Kind.RESEND_PUBREL ? "PUBREL id=" + o.packetId() : o.line())
                + " was not sent again within " + waited + " ms of the session resuming";
        out.breach(ClientRule.NOT_RESENT_ON_RECONNECT, what, o.line());
        if (o.probe() != null) {
            out.verdict(o.probe(), Note.Outcome.FAIL, ClientRule.NOT_RESENT_ON_RECONNECT.statement(out.version()),
                    what);
        }
    }

    /**
     * The client sent PUBLISH {@code id} again (DUP 1 or not, {@code breaches} says what was
     * wrong with it): that settles a resend owed for it, and judges a probe run.
     */
    ClientWatch resent(ClientWatch w, int id, boolean sameConnection, List<Note.Breach> breaches, Findings out) {
        Owed o = owedFor(w.owed(), id);
        if (o == null || o.kind() == Owed.Kind.ACKNOWLEDGE) {
            return w;
        }
        if (o.kind() == Owed.Kind.RESEND_PUBREL && breaches.isEmpty()) {
            return w;   // PUBLISH again because the PUBREC never came: progress, the PUBREL settles it
        }
        if (o.probe() != null) {
            judge(w, o, breaches, "PUBLISH id=" + id + " sent again with DUP 1 " + (out.now() - o.sinceMillis())
                    + " ms after the " + (o.phase() == Owed.Phase.AFTER_RECONNECT || !sameConnection
                    ? "session resumed" : "broker withheld its answer"), out);
        }
        return without(w, o);
    }

    /** PUBREL {@code id}: settles a resend owed for the QoS 2 message {@code id}. */
    ClientWatch pubRel(ClientWatch w, int id, List<Note.Breach> breaches, Findings out) {
        Owed o = owedFor(w.owed(), id);
        if (o == null || o.kind() == Owed.Kind.ACKNOWLEDGE) {
            return w;
        }
        if (o.probe() != null) {
            judge(w, o, breaches, "PUBREL id=" + id + " sent " + (out.now() - o.sinceMillis())
                    + " ms after the probe cut the connection", out);
        }
        return without(w, o);
    }

    /** The client acknowledged (PUBACK, or PUBCOMP for QoS 2) the broker's PUBLISH {@code id}. */
    ClientWatch acknowledged(ClientWatch w, int id, Findings out) {
        for (Owed o : w.owed()) {
            if (o.kind() == Owed.Kind.ACKNOWLEDGE && o.packetId() == id) {
                out.verdict(o.probe(), Note.Outcome.PASS, statements(o.probe(), w.version().isV5()),
                        "the message queued while the client was away came as PUBLISH id=" + id
                                + " and was acknowledged " + (out.now() - o.sinceMillis()) + " ms after the cut");
                return without(w, o);
            }
        }
        return w;
    }

    /**
     * PUBCOMP {@code id} with {@code reason}: settles a completion owed for it; 0x92 means the
     * client forgot the flow [v5 MQTT-4.3.3-10].
     */
    ClientWatch completed(ClientWatch w, int id, io.checkedmqtt.core.packet.ReasonCode reason, String line,
                          Findings out) {
        for (Owed o : w.owed()) {
            if (o.kind() == Owed.Kind.COMPLETE && o.packetId() == id) {
                if (reason == io.checkedmqtt.core.packet.ReasonCode.PACKET_IDENTIFIER_NOT_FOUND && w.version().isV5()) {
                    Note.Breach b = out.breach(ClientRule.FORGOT_QOS2_FLOW, "PUBCOMP id=" + id + " with 0x92 after the"
                            + " session resumed, for a QoS 2 message the client had PUBREC'd and not seen released",
                            o.line(), line);
                    if (o.probe() != null) {
                        out.verdict(o.probe(), Note.Outcome.FAIL, b.statement(), b.detail());
                    }
                } else if (o.probe() != null) {
                    out.verdict(o.probe(), Note.Outcome.PASS, statements(o.probe(), w.version().isV5()),
                            "PUBCOMP id=" + id + " for the PUBREL sent again after the session resumed, "
                                    + (out.now() - o.sinceMillis()) + " ms after the cut");
                }
                return without(w, o);
            }
        }
        return w;
    }

    /** The probe message went out under {@code id}: the acknowledgement to wait for. */
    ClientWatch probeMessageSent(ClientWatch w, int id) {
        List<Owed> next = new ArrayList<>(w.owed().size());
        for (Owed o : w.owed()) {
            next.add(o.kind() == Owed.Kind.ACKNOWLEDGE && o.packetId() == NOT_SENT ? o.withPacketId(id) : o);
        }
        return w.withOwed(next);
    }

    /** A resend owed under another identifier with this fingerprint, or null. */
    Owed owedResendOf(ClientWatch w, int fingerprint, int otherThan) {
        for (Owed o : w.owed()) {
            if ((o.kind() == Owed.Kind.RESEND_PUBLISH || o.kind() == Owed.Kind.RESEND_PUBREL)
                    && o.fingerprint() == fingerprint && o.packetId() != otherThan) {
                return o;
            }
        }
        return null;
    }

    /** The client resent under a new identifier: the run fails, the owed resend is settled. */
    ClientWatch resentAsOther(ClientWatch w, Owed o, List<Note.Breach> breaches, Findings out) {
        if (o.probe() != null) {
            judge(w, o, breaches, "", out);
        }
        return without(w, o);
    }

    private static void judge(ClientWatch w, Owed o, List<Note.Breach> breaches, String passed, Findings out) {
        if (breaches.isEmpty()) {
            out.verdict(o.probe(), Note.Outcome.PASS, statements(o.probe(), w.version().isV5()), passed);
        } else {
            Note.Breach first = breaches.get(0);
            out.verdict(o.probe(), Note.Outcome.FAIL, first.statement(), first.detail());
        }
    }

    static Owed owedFor(List<Owed> owed, int id) {
        for (Owed o : owed) {
            if (o.packetId() == id && o.kind() != Owed.Kind.ACKNOWLEDGE && o.kind() != Owed.Kind.COMPLETE) {
                return o;
            }
        }
        return null;
    }

    private static ClientWatch without(ClientWatch w, Owed gone) {
        List<Owed> next = new ArrayList<>(w.owed());
        next.remove(gone);
        return w.withOwed(next);
    }
}
