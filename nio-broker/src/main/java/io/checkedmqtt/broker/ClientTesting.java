package io.checkedmqtt.broker;

import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.broker.clienttest.FaultInjector;
import io.checkedmqtt.broker.clienttest.FaultRule;
import io.checkedmqtt.broker.clienttest.TraceLine;
import io.checkedmqtt.broker.clienttest.Traces;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketText;
import io.checkedmqtt.core.packet.Publish;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Testing clients in the shell: the per-client traces, the {@code --verbose} packet lines, and
 * the fault rules and probes that act on a client's bytes. It sits between the framer and the
 * core on the way in ({@link #inbound}, called by {@link ConnectionReader} for each decoded
 * packet) and between the core and the write queue on the way out ({@link #outbound}, called by
 * {@link EffectRunner} for each encoded packet); those two calls are its only hooks into the data
 * path, and each is one field check when nothing is traced, faulted or verbose. Every fault it
 * injects is written to the client's trace and told to the core as a {@link WireFault} (after the
 * step that caused it, through {@link CoreRunner}), so the core's view of the wire stays true.
 * Loop thread only.
 */
final class ClientTesting {

    /** Shell deadline: release what a delay held back, or read again after a pause. */
    record Due(ConnectionId connection, Kind kind) {
        enum Kind { RELEASE_OUT, RELEASE_IN, RESUME_READ }
    }

    /** A packet before the client's CONNECT was accepted, kept in case the client is traced. */
    record Early(long atMillis, boolean in, Packet packet) {
    }

    /** A fault injected on a connection, to be told to the core after the current step. */
    record Notice(Connection connection, WireFault fault) {
    }

    /** What {@link #inbound} tells the reader to do with the packet. */
    enum Inbound { DELIVER, SKIP, DELIVER_THEN_CUT }

    private final Traces traces;
    private final FaultInjector injector;
    private final BrokerLog log;
    private final Timers<Object> timers;
    private final ConnectionWriter writer;
    private final Connections connections;
    private final BrokerStats stats;
    private final Clock clock;
    private final List<Notice> notices = new ArrayList<>();
    /** Whether anything is traced, faulted or verbose: when false, the hooks return at once. */
    private boolean active;
    private CoreRunner core;
    private ConnectionReader reader;

    ClientTesting(ClientTestSettings settings, BrokerLog log, Timers<Object> timers, ConnectionWriter writer,
                  Connections connections, BrokerStats stats, Clock clock) {
        this.clock = clock;
        this.traces = new Traces(settings);
        this.injector = new FaultInjector(settings.faults(), settings.probes(), settings.faultSeed());
        this.log = log;
        this.timers = timers;
        this.writer = writer;
        this.connections = connections;
        this.stats = stats;
        this.active = log.verbose() || settings.isOn();
    }

    /** The two parts of the loop it calls back (made after it). */
    void wire(CoreRunner coreRunner, ConnectionReader connectionReader) {
        this.core = coreRunner;
        this.reader = connectionReader;
    }

    boolean active() {
        return active;
    }

    /** Turns the hooks on once tracing, a rule or a probe is added at run time. */
    void activate() {
        active = true;
    }

    Traces traces() {
        return traces;
    }

    FaultInjector injector() {
        return injector;
    }

    // ---- the way in ----------------------------------------------------------------------------

    /** A packet decoded from the client, before the core: traced, and perhaps dropped, delayed, or followed by a cut or a pause. */
    Inbound inbound(Connection c, Packet p, long now) {
        TestedConnection t = c.tested;
        if (t == null) {
            if (log.verbose()) {
                log.trace(text(now, c.clientId, c.id, TraceLine.Kind.IN, PacketText.of(p)));
            }
            if (c.clientId == null && traces.armed()) {
                early(c, new Early(now, true, p));
            }
            return Inbound.DELIVER;
        }
        line(c, t, now, TraceLine.Kind.IN, p);
        FaultInjector.Decision d = t.faulted ? injector.inbound(t.clientId, p) : FaultInjector.Decision.NONE;
        if (!d.acts()) {
            return Inbound.DELIVER;
        }
        String what = d.action().word() + " " + PacketText.of(p);
        switch (d.action()) {
            case DROP -> {
                fault(c, t, now, what + ": the broker never sees it (" + d.cause() + ")");
                notice(c, new WireFault.Discarded(p, d.cause(), d.probe()));
                return Inbound.SKIP;
            }
            case DELAY -> {
                fault(c, t, now, what + ": handed to the broker in " + d.delayMillis() + " ms, nothing read until"
                        + " then (" + d.cause() + ")");
                t.heldInbound = p;
                pauseReading(c, now + d.delayMillis(), Due.Kind.RELEASE_IN, d);
                return Inbound.SKIP;
            }
            case PAUSE_READ -> {
                fault(c, t, now, "pause-read after " + PacketText.of(p) + ": nothing read for " + d.delayMillis()
                        + " ms (" + d.cause() + ")");
                pauseReading(c, now + d.delayMillis(), Due.Kind.RESUME_READ, d);
                return Inbound.DELIVER;
            }
            default -> {
                fault(c, t, now, "disconnect-after " + PacketText.of(p) + ": the connection is cut once the broker"
                        + " has read it (" + d.cause() + ")");
                t.cut = "cut by a fault after " + p.type() + " in (" + d.cause() + ")";
                c.faultHold = true;
                notice(c, new WireFault.Cut(p, false, d.cause(), d.probe()));
                return Inbound.DELIVER_THEN_CUT;
            }
        }
    }

    private void pauseReading(Connection c, long until, Due.Kind kind, FaultInjector.Decision d) {
        c.faultHold = true;
        timers.schedule(new Due(c.id, kind), until);
        notice(c, new WireFault.ReadPaused(until, d.cause(), d.probe()));
    }

    // ---- the way out ---------------------------------------------------------------------------

    /**
     * A packet the core made for the client, encoded: traced, and perhaps dropped, held back,
     * duplicated or followed by a cut. True when it was taken care of here (queued or not);
     * false when the caller queues it as usual.
     */
    boolean outbound(Connection c, Packet p, ByteBuffer bytes, long now) {
        TestedConnection t = c.tested;
        if (t == null) {
            if (log.verbose()) {
                log.trace(text(now, c.clientId, c.id, TraceLine.Kind.OUT, PacketText.of(p)));
            }
            if (c.clientId == null && traces.armed()) {
                early(c, new Early(now, false, p));
            }
            return false;
        }
        if (t.cut != null) {
            fault(c, t, now, "lost with the cut: " + PacketText.of(p));
            return true;
        }
        if (t.held != null) {
            t.held.addLast(new TestedConnection.Held(p, bytes));
            notice(c, new WireFault.Withheld(p, false, "held behind a delayed packet", null));
            return true;
        }
        FaultInjector.Decision d = t.faulted ? injector.outbound(t.clientId, p) : FaultInjector.Decision.NONE;
        if (!d.acts()) {
            line(c, t, now, TraceLine.Kind.OUT, p);
            return false;
        }
        String what = d.action().word() + " " + PacketText.of(p);
        switch (d.action()) {
            case DROP -> {
                fault(c, t, now, what + ": not sent (" + d.cause() + ")");
                notice(c, new WireFault.Withheld(p, true, d.cause(), d.probe()));
            }
            case DELAY -> {
                fault(c, t, now, what + ": held back " + d.delayMillis() + " ms with what follows it (" + d.cause()
                        + ")");
                t.held = new ArrayDeque<>(4);
                t.held.add(new TestedConnection.Held(p, bytes));
                timers.schedule(new Due(c.id, Due.Kind.RELEASE_OUT), now + d.delayMillis());
                notice(c, new WireFault.Withheld(p, false, d.cause(), d.probe()));
            }
            case DUPLICATE -> {
                line(c, t, now, TraceLine.Kind.OUT, p);
                queue(c, bytes);
                Publish copy = ((Publish) p).asDuplicate();
                fault(c, t, now, "duplicate " + PacketText.of(p) + ": a copy with DUP 1 follows (" + d.cause() + ")");
                line(c, t, now, TraceLine.Kind.OUT, copy);
                ByteBuffer copyBytes = ByteBuffer.allocate(MqttEncoder.encodedSize(copy, c.encodeVersion()));
                MqttEncoder.encode(copy, c.encodeVersion(), copyBytes);
                queue(c, copyBytes.flip());
                notice(c, new WireFault.Duplicated(copy, d.cause(), d.probe()));
            }
            default -> {
                line(c, t, now, TraceLine.Kind.OUT, p);
                queue(c, bytes);
                fault(c, t, now, what + ": the connection is cut once it is written (" + d.cause() + ")");
                t.cut = "cut by a fault after " + p.type() + " out (" + d.cause() + ")";
                c.faultHold = true;
                notice(c, new WireFault.Cut(p, true, d.cause(), d.probe()));
            }
        }
        return true;
    }

    private void queue(Connection c, ByteBuffer bytes) {
        c.out().add(bytes);
        stats.packetsOut++;
        writer.scheduleFlush(c);
    }

    // ---- deadlines -----------------------------------------------------------------------------

    /** A delay or pause ended. */
    void due(Due due, long now) {
        Connection c = connections.get(due.connection());
        if (c == null || c.closed || c.tested == null) {
            return;
        }
        TestedConnection t = c.tested;
        switch (due.kind()) {
            case RELEASE_OUT -> {
                ArrayDeque<TestedConnection.Held> held = t.held;
                t.held = null;
                if (held == null || t.cut != null) {
                    return;
                }
                for (TestedConnection.Held h : held) {
                    line(c, t, now, TraceLine.Kind.OUT, h.packet());
                    queue(c, h.bytes());
                    notice(c, new WireFault.Released(h.packet(), "delay over", null));
                }
                core.reportFaults(now);
            }
            case RELEASE_IN -> {
                Packet p = t.heldInbound;
                t.heldInbound = null;
                c.faultHold = t.cut != null;
                if (p != null) {
                    fault(c, t, now, "delay over: " + PacketText.of(p) + " goes to the broker now");
                    stats.packetsIn++;
                    core.packetReceived(c, p, now);
                }
                readAgain(c, now);
            }
            default -> {
                c.faultHold = t.cut != null;
                fault(c, t, now, "pause over: reading again");
                readAgain(c, now);
            }
        }
    }

    /** A pause ended: what waited in the connection's buffers is decoded, and the socket is selected for reading again. */
    private void readAgain(Connection c, long now) {
        if (c.closed) {
            return;
        }
        reader.resume(c, now);
        if (!c.closed) {
            c.updateInterest(reader.wantsInput(c));
        }
    }

    // ---- what the core says --------------------------------------------------------------------

    /** The core accepted the client's CONNECT on {@code c}: is it traced or faulted? */
    void attached(Connection c) {
        String clientId = c.clientId;
        boolean traced = traces.traces(clientId);
        boolean faulted = injector.appliesTo(clientId);
        List<Early> early = c.early;
        c.early = null;
        c.tested = traced || faulted ? new TestedConnection(clientId, traced ? traces.of(clientId) : null, faulted)
                : null;
        if (traced && early != null) {
            for (Early e : early) {
                c.tested.trace(text(e.atMillis(), clientId, c.id, e.in() ? TraceLine.Kind.IN
                        : TraceLine.Kind.OUT, PacketText.of(e.packet())));
            }
        }
    }

    /** The rules, probes or traced clients changed at run time: a connected client may now be traced or faulted. */
    void refresh(Connection c) {
        TestedConnection before = c.tested;
        boolean traced = traces.traces(c.clientId);
        boolean faulted = injector.appliesTo(c.clientId);
        if (!traced && !faulted && (before == null || before.held == null && before.heldInbound == null
                && before.cut == null)) {
            c.tested = null;
            return;
        }
        TestedConnection now = new TestedConnection(c.clientId, traced ? traces.of(c.clientId) : null, faulted);
        if (before != null) {
            now.held = before.held;
            now.heldInbound = before.heldInbound;
            now.cut = before.cut;
        }
        c.tested = now;
    }

    /** A note of the core about a watched client: its trace, the log (verbose; a verdict or report always). */
    void noted(Effect.Noted n, long now) {
        Note note = n.note();
        boolean traced = traces.traces(n.clientId());
        if (traced || log.verbose()) {   // a client watched for its report only gets no line made
            String line = text(now, n.clientId(), n.connection(), TraceLine.kindOf(note), TraceLine.note(note));
            if (log.verbose()) {
                log.trace(line);
            }
            if (traced) {
                traces.of(n.clientId()).add(line);
            }
        }
        if (!log.verbose() && (note instanceof Note.Summary || note instanceof Note.Verdict) && log.connections()) {
            log.connection("client '" + n.clientId() + "' " + TraceLine.note(note));
        }
    }

    /** The connection is going: a line in its trace. */
    void closing(Connection c, String why, long now) {
        if (c.tested != null) {
            c.tested.trace(text(now, c.clientId, c.id, TraceLine.Kind.NET, why));
        }
    }

    // ---- telling the core ----------------------------------------------------------------------

    private void notice(Connection c, WireFault fault) {
        notices.add(new Notice(c, fault));
    }

    boolean hasNotices() {
        return !notices.isEmpty();
    }

    /** The faults injected since the last call, oldest first; forgets them. */
    List<Notice> takeNotices() {
        List<Notice> taken = List.copyOf(notices);
        notices.clear();
        return taken;
    }

    // ----

    private void early(Connection c, Early e) {
        if (c.early == null) {
            c.early = new ArrayList<>(2);
        }
        if (c.early.size() < 16) {   // CONNECT and an AUTH exchange; a client that sends more is not kept
            c.early.add(e);
        }
    }

    /** A trace line at loop time {@code now}, with the wall-clock time of it. */
    private String text(long now, String clientId, ConnectionId connection, TraceLine.Kind kind, String text) {
        return TraceLine.of(clock.epochMillis(now), clientId, connection, kind, text);
    }

    /** A packet line, made only when a trace or the verbose log will hold it. */
    private void line(Connection c, TestedConnection t, long now, TraceLine.Kind kind, Packet p) {
        if (t.trace != null || log.verbose()) {
            line(c, t, now, kind, PacketText.of(p));
        }
    }

    private void line(Connection c, TestedConnection t, long now, TraceLine.Kind kind, String text) {
        String line = text(now, t.clientId, c.id, kind, text);
        t.trace(line);
        if (log.verbose()) {
            log.trace(line);
        }
    }

    private void fault(Connection c, TestedConnection t, long now, String text) {
        line(c, t, now, TraceLine.Kind.FAULT, text);
    }
}
