package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.session.PacketIdSet;

import java.util.ArrayList;
import java.util.Comparator;
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
 *                      short while ago: the last {@value #MAX_DONE_FLOWS} to twice that many of those)
 * @param doneFlows     how many of {@code flows} have ended
 * @param withheldOut   identifiers of PUBLISH and PUBREL packets the broker sent that did not reach it
 * @param heardAtMillis when a packet from the client last arrived, counting ones a fault dropped
 * @param pausedUntilMillis the broker did not read from the client until then (a fault rule)
 * @param owed          what the client owes, oldest first
 * @param report        its breaches and probe verdicts
 */
public record ClientWatch(String clientId, ProtocolVersion version, ConnectionId connection,
                          PersistentMap<Integer, Flow> flows, int doneFlows, PacketIdSet withheldOut,
                          long heardAtMillis,
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
        return new ClientWatch(clientId, version, null, PersistentMap.empty(), 0, PacketIdSet.EMPTY, 0, 0, List.of(),
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
        return new ClientWatch(clientId, v, conn, flows, doneFlows, withheldOut, heardAtMillis,
                pausedUntilMillis, owed, report);
    }

    ClientWatch withFlows(PersistentMap<Integer, Flow> f) {
        return new ClientWatch(clientId, version, connection, f, endedIn(f), withheldOut, heardAtMillis,
                pausedUntilMillis, owed, report);
    }

    ClientWatch withWithheldOut(PacketIdSet ids) {
        return new ClientWatch(clientId, version, connection, flows, doneFlows, ids, heardAtMillis,
                pausedUntilMillis, owed, report);
    }

    ClientWatch heard(long at) {
        return new ClientWatch(clientId, version, connection, flows, doneFlows, withheldOut,
                Math.max(heardAtMillis, at), pausedUntilMillis, owed, report);
    }

    ClientWatch pausedUntil(long until) {
        return new ClientWatch(clientId, version, connection, flows, doneFlows, withheldOut, heardAtMillis,
                Math.max(pausedUntilMillis, until), owed, report);
    }

    ClientWatch withOwed(List<Owed> o) {
        return new ClientWatch(clientId, version, connection, flows, doneFlows, withheldOut, heardAtMillis,
                pausedUntilMillis, o, report);
    }

    ClientWatch withReport(ClientReport r) {
        return r == report ? this : new ClientWatch(clientId, version, connection, flows, doneFlows,
                withheldOut, heardAtMillis, pausedUntilMillis, owed, r);
    }

    /**
     * This watch with one flow set. Ended flows are forgotten in batches, oldest first: once more
     * than twice {@link #MAX_DONE_FLOWS} have ended, all but the newest {@link #MAX_DONE_FLOWS}
     * go, so a packet costs one look-up and, on average, a small share of one pass over the flows
     * (a pass per packet would make a client with thousands in flight cost thousands per packet).
     */
    ClientWatch withFlow(Flow flow) {
        Flow old = flows.get(flow.packetId());
        PersistentMap<Integer, Flow> next = flows.put(flow.packetId(), flow);
        int done = doneFlows - (old != null && !old.inFlight() ? 1 : 0) + (flow.inFlight() ? 0 : 1);
        if (done > 2 * MAX_DONE_FLOWS) {
            List<Flow> ended = new ArrayList<>(done);
            for (Flow f : next.values()) {
                if (!f.inFlight()) {
                    ended.add(f);
                }
            }
            ended.sort(Comparator.comparingLong(Flow::atMillis));
            for (int i = 0; i < ended.size() - MAX_DONE_FLOWS; i++) {
                next = next.remove(ended.get(i).packetId());
            }
            done = MAX_DONE_FLOWS;
        }
        return new ClientWatch(clientId, version, connection, next, done, withheldOut, heardAtMillis,
                pausedUntilMillis, owed, report);
    }

    private static int endedIn(PersistentMap<Integer, Flow> flows) {
        int done = 0;
        for (Flow f : flows.values()) {
            if (!f.inFlight()) {
                done++;
            }
        }
        return done;
    }
}
