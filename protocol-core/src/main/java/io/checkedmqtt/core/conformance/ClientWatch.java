package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.session.PacketIdSet;

import java.util.List;
import java.util.Objects;

/**
 * The broker's watch over one client under test, as an immutable value: the wire as the client
 * sees it (what it sent that is still in flight for it, what the broker sent that never reached
 * it), what it owes and by when, and its conformance report. It outlives the client's
 * connections and sessions. {@link Watcher} maps one watch to the next.
 *
 * @param clientId      the client identifier
 * @param version       the protocol version of its last CONNECT
 * @param connection    its connection now, or null while it has none
 * @param flows         by packet identifier, the packets of its own it sent (in flight, or ended a
 *                      short while ago, at most {@value #MAX_DONE_FLOWS} of those)
 * @param withheldOut   identifiers of PUBLISH and PUBREL packets the broker sent that did not reach it
 * @param heardAtMillis when a packet from the client last arrived, counting ones a fault dropped
 * @param pausedUntilMillis the broker did not read from the client until then (a fault rule)
 * @param owed          what the client owes, oldest first
 * @param report        its breaches and probe verdicts
 */
public record ClientWatch(String clientId, ProtocolVersion version, ConnectionId connection,
                          PersistentMap<Integer, Flow> flows, PacketIdSet withheldOut, long heardAtMillis,
                          long pausedUntilMillis, List<Owed> owed, ClientReport report) {

    /** Ended flows kept for recognising late resends; older ones are forgotten. */
    static final int MAX_DONE_FLOWS = 64;

    public ClientWatch {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(flows, "flows");
        Objects.requireNonNull(withheldOut, "withheldOut");
        owed = List.copyOf(owed);
        Objects.requireNonNull(report, "report");
    }

    /** A client seen for the first time. */
    public static ClientWatch fresh(String clientId, ProtocolVersion version) {
        return new ClientWatch(clientId, version, null, PersistentMap.empty(), PacketIdSet.EMPTY, 0, 0, List.of(),
                ClientReport.EMPTY);
    }

    /** The earliest deadline of what the client owes, or {@link Owed#NO_DEADLINE}. */
    public long deadline() {
        long due = Owed.NO_DEADLINE;
        for (Owed o : owed) {
            due = Math.min(due, o.dueMillis());
        }
        return due;
    }

    /** How many probe runs wait for a verdict. */
    public int pendingProbes() {
        int n = 0;
        for (Owed o : owed) {
            if (o.probe() != null) {
                n++;
            }
        }
        return n;
    }

    ClientWatch on(ConnectionId conn, ProtocolVersion v) {
        return new ClientWatch(clientId, v, conn, flows, withheldOut, heardAtMillis, pausedUntilMillis, owed, report);
    }

    ClientWatch withFlows(PersistentMap<Integer, Flow> f) {
        return new ClientWatch(clientId, version, connection, f, withheldOut, heardAtMillis, pausedUntilMillis, owed,
                report);
    }

    ClientWatch withWithheldOut(PacketIdSet ids) {
        return new ClientWatch(clientId, version, connection, flows, ids, heardAtMillis, pausedUntilMillis, owed,
                report);
    }

    ClientWatch heard(long at) {
        return new ClientWatch(clientId, version, connection, flows, withheldOut, Math.max(heardAtMillis, at),
                pausedUntilMillis, owed, report);
    }

    ClientWatch pausedUntil(long until) {
        return new ClientWatch(clientId, version, connection, flows, withheldOut, heardAtMillis,
                Math.max(pausedUntilMillis, until), owed, report);
    }

    ClientWatch withOwed(List<Owed> o) {
        return new ClientWatch(clientId, version, connection, flows, withheldOut, heardAtMillis, pausedUntilMillis, o,
                report);
    }

    ClientWatch withReport(ClientReport r) {
        return r == report ? this : new ClientWatch(clientId, version, connection, flows, withheldOut, heardAtMillis,
                pausedUntilMillis, owed, r);
    }

    /** This watch with one flow set, ended flows beyond {@link #MAX_DONE_FLOWS} forgotten, oldest first. */
    ClientWatch withFlow(Flow flow) {
        PersistentMap<Integer, Flow> next = flows.put(flow.packetId(), flow);
        int done = 0;
        Flow oldest = null;
        for (Flow f : next.values()) {
            if (!f.inFlight()) {
                done++;
                if (oldest == null || f.atMillis() < oldest.atMillis()) {
                    oldest = f;
                }
            }
        }
        if (done > MAX_DONE_FLOWS) {
            next = next.remove(oldest.packetId());
        }
        return withFlows(next);
    }
}
