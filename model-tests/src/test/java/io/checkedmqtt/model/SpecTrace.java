package io.checkedmqtt.model;

import io.checkedmqtt.broker.spectrace.SpecEvents;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Unsubscribe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a run of the core as a sequence of actions of {@code tla/Mqtt.tla}, with the
 * arguments the spec's actions take (client, message, QoS, packet identifier, connect flags).
 * One core step may be several spec actions: a PUBLISH that the core routes and then sends on
 * to a subscriber is ServerReceivesPublish followed by ServerSendsPublish. Packets the spec does
 * not model (CONNACK, SUBACK, UNSUBACK, PINGREQ/PINGRESP) leave no event. Anything the mapping
 * cannot place becomes an {@code Unmapped} event, which no spec action matches, so TLC rejects
 * the trace at that step.
 */
final class SpecTrace implements Observer {

    /** One spec action with its arguments; unused arguments keep neutral values. */
    record Event(String action, String client, String message, int qos, int packetId, boolean clean,
                 boolean keep, boolean sessionPresent, String note, String state) {

        /** The same event, with the core's state after the step it ends ({@link SessionStateRecord}). */
        Event withState(String s) {
            return new Event(action, client, message, qos, packetId, clean, keep, sessionPresent, note, s);
        }

        String toTla() {
            return "[a |-> \"" + action + "\", c |-> \"" + client + "\", m |-> \"" + message + "\", q |-> " + qos
                    + ", pid |-> " + packetId + ", clean |-> " + (clean ? "TRUE" : "FALSE") + ", keep |-> "
                    + (keep ? "TRUE" : "FALSE") + ", sp |-> " + (sessionPresent ? "TRUE" : "FALSE")
                    + (state.isEmpty() ? ", hs |-> FALSE, s |-> <<>>]" : ", hs |-> TRUE, s |-> " + state + "]");
        }

        @Override
        public String toString() {
            return switch (action) {
                case "ClientConnect" -> action + "(" + client + ", " + clean + ", " + keep + ") Session Present " + sessionPresent;
                case "ClientPublish", "ServerReceivesPublish", "ClientReceivesPublish" ->
                        action + "(" + client + ", " + message + ", " + qos + ", " + packetId + ")";
                case "ServerSendsPublish" -> action + "(" + client + ", " + message + ", " + packetId + ")";
                case "ClientSubscribe" -> action + "(" + client + ", " + qos + ")";
                case "ClientDisconnect", "ConnectionLost", "ClientUnsubscribe" -> action + "(" + client + ")";
                case "Unmapped" -> action + "(" + client + ": " + note + ")";
                case "Settle" -> "Settle (the runner reconnects kept sessions and drains the network)";
                default -> action + "(" + client + ", " + packetId + ")";
            };
        }
    }

    private final World world;
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Integer> subs = new HashMap<>();
    private final Map<String, Boolean> keep = new HashMap<>();
    /** How many events already carry (or precede one that carries) a state of the core. */
    private int stateAt;

    SpecTrace(World world) {
        this.world = world;
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /**
     * The runner starts to settle: reconnect kept sessions and let every packet arrive. The
     * phase is recorded after a {@code Settle} marker, and TLC requires quiescence at its end.
     */
    void settling() {
        events.add(new Event("Settle", "none", "none", 0, 0, false, false, false, "", ""));
        stateAt = events.size();
    }

    @Override
    public void coreStepped(BrokerState state) {
        if (events.size() > stateAt) {
            int last = events.size() - 1;
            events.set(last, events.get(last).withState(SessionStateRecord.of(state, world.clients.keySet())));
            stateAt = events.size();
        }
    }

    private void add(String action, String c, String m, int q, int pid) {
        events.add(new Event(action, c, m, q, pid, false, false, false, "", ""));
    }

    private void unmapped(String c, String note) {
        events.add(new Event("Unmapped", c, "none", 0, 0, false, false, false, note, ""));
    }

    private static String message(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    @Override
    public void clientPublished(String c, String m, int q, int pid) {
        add("ClientPublish", c, m, q, pid);
    }

    @Override
    public void serverAccepted(String c, Connect connect, boolean sessionPresent) {
        boolean k = connect.version().isV5()
                ? connect.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, 0) > 0
                : !connect.cleanStart();
        events.add(new Event("ClientConnect", c, "none", 0, 0, connect.cleanStart(), k, sessionPresent, "", ""));
        keep.put(c, k);
        if (connect.cleanStart()) {
            subs.remove(c);
        }
    }

    @Override
    public void serverEnded(String c, Ending ending, ReasonCode reason) {
        // The spec's clients disconnect only with no publish unacknowledged; a DISCONNECT before
        // that leaves the session as a lost connection does, and the spec says ConnectionLost covers it.
        boolean quiesced = world.clients.get(c).cOut.isEmpty();
        add(ending == Ending.DISCONNECT && quiesced ? "ClientDisconnect" : "ConnectionLost", c, "none", 0, 0);
        if (!keep.getOrDefault(c, false)) {
            subs.remove(c);
        }
    }

    @Override
    public void serverReceived(String c, Packet packet) {
        if (packet instanceof Publish p) {
            add("ServerReceivesPublish", c, message(p), p.qos().value(), p.packetId());
        } else if (packet instanceof Subscribe s) {
            int q = s.subscriptions().get(0).options().maxQos().value();
            if (!Integer.valueOf(q).equals(subs.get(c))) {  // the spec's ClientSubscribe changes the QoS
                add("ClientSubscribe", c, "none", q, 0);
                subs.put(c, q);
            }
        } else if (packet instanceof Unsubscribe) {
            if (subs.remove(c) != null) {
                add("ClientUnsubscribe", c, "none", 0, 0);
            }
        } else {
            add(c, SpecEvents.acknowledgementRead(packet));
        }
    }

    /** The action nio-broker's spec_trace records for the same packet (the mapping is shared). */
    private void add(String c, SpecEvents.Action a) {
        if (a == null) {
            return;
        }
        if (a.name().equals("Unmapped")) {
            unmapped(c, a.message());
        } else {
            add(a.name(), c, a.message(), a.qos(), a.packetId());
        }
    }

    @Override
    public void serverSent(String c, Packet packet, Cause cause) {
        add(c, SpecEvents.sent(packet, switch (cause) {
            case CONNECT -> SpecEvents.Cause.CONNECT;
            case PACKET -> SpecEvents.Cause.PACKET;
            case RESEND_TIMER -> SpecEvents.Cause.RESEND_TIMER;
            case OTHER_TIMER, CONNECTION_END -> SpecEvents.Cause.OTHER;
        }));
    }

    @Override
    public void clientRead(String c, Packet packet) {
        if (packet instanceof Publish p) {
            add("ClientReceivesPublish", c, message(p), p.qos().value(), p.packetId());
        } else if (packet instanceof PubAck a) {
            add("ClientReceivesPuback", c, "none", 0, a.packetId());
        } else if (packet instanceof PubRec r) {
            add("ClientReceivesPubrec", c, "none", 0, r.packetId());
        } else if (packet instanceof PubRel r) {
            add("ClientReceivesPubrel", c, "none", 0, r.packetId());
        } else if (packet instanceof PubComp r) {
            add("ClientReceivesPubcomp", c, "none", 0, r.packetId());
        }
    }
}
