package io.checkedmqtt.broker.spectrace;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.SessionRecord;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Unsubscribe;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the steps of the running broker's core (an input, the effects it returned, the state
 * after it) into the records of {@code tla/TraceMqtt.tla}'s trace validation: one event per
 * action of {@code tla/Mqtt.tla} the step is, with the arguments the action takes, and then the
 * session of every client the step changed ({@link SessionRecord}). The broker sees only the
 * server's side, so a client's PUBLISH is recorded as {@code ClientPublish} followed by
 * {@code ServerReceivesPublish} when the server reads it (not when the application published
 * it), and a client's reads are not recorded at all: the trace module lets the spec's clients
 * read where the recorded steps need it.
 *
 * <p>The text of one step ({@link #take}) is a block of lines, fields separated by tabs:
 * <pre>
 * E  action  client  message  qos  packetId  clean  keep  sessionPresent   (one per event)
 * S  client  [held |-> ..., ...]                                          (one per changed session)
 * ;                                                                       (end of the step)
 * </pre>
 * A client without an {@code S} line keeps the session its last one gave (none before the
 * first). Client ids and messages (payloads) are written as the inside of a TLA+ string
 * ({@link SessionRecord#text}). Not thread-safe: the broker's loop thread is its only user.
 */
public final class SpecEvents {

    /** What made the core send a packet: a resend is a {@code ReconnectResend} only after a CONNECT. */
    public enum Cause { CONNECT, PACKET, RESEND_TIMER, OTHER }

    public static final String HEADER = "# checked-mqtt spec trace: E action client message qos packetId clean keep "
            + "sessionPresent / S client session / ; end of a core step\n";

    private final StringBuilder text = new StringBuilder();
    private boolean hasEvents;
    /** The client of each accepted connection that has not ended. */
    private final Map<ConnectionId, String> clientOf = new HashMap<>();
    /** Every client ever accepted, with the session and connected flag its last S line gave. */
    private final Map<String, Object> lastSession = new LinkedHashMap<>();
    private final Map<String, Boolean> lastConnected = new HashMap<>();
    private final Map<String, Integer> subscribedQos = new HashMap<>();
    private final Map<String, Boolean> keep = new HashMap<>();
    /** Per client, the QoS 1/2 PUBLISHes the server read from it, by packet id: a repeat is a resend. */
    private final Map<String, Map<Integer, String>> clientFlows = new HashMap<>();

    /** A packet from {@code connection}: its events, then those of the effects, then the states. */
    public void packet(ConnectionId connection, Packet packet, List<Effect> effects, BrokerState after) {
        String c = clientOf.get(connection);
        ConnectionId disconnecting = null;
        Cause cause = Cause.PACKET;
        if (packet instanceof Connect connect) {
            cause = Cause.CONNECT;
            for (Effect e : effects) {
                if (e instanceof Effect.Close close && !close.connection().equals(connection)) {
                    ended(close.connection(), false);   // a take-over: the old connection ends first
                }
            }
            accepted(connection, connect, effects);
        } else if (c != null && packet instanceof Disconnect) {
            disconnecting = connection;
        } else if (c != null) {
            received(c, packet);
        }
        effects(effects, cause, disconnecting);
        states(after);
    }

    /** The socket of {@code connection} went away without the core asking. */
    public void lost(ConnectionId connection, List<Effect> effects, BrokerState after) {
        ended(connection, false);
        effects(effects, Cause.OTHER, null);
        states(after);
    }

    /** Any other input (a timer, a decoder error, the broker's own publication...). */
    public void other(Cause cause, List<Effect> effects, BrokerState after) {
        effects(effects, cause, null);
        states(after);
    }

    /**
     * A fault rule of client testing acted on {@code connection}'s bytes, and the core was told
     * ({@link WireFault}). A copy of an in-flight PUBLISH written right behind it is the trace
     * action {@code WireDuplicate} (the spec's client then reads it). A packet held back and
     * released with those behind it, a pause in reading, or a cut (whose loss follows as its own
     * input) only change when packets arrive, which the spec's channels leave open anyway: no
     * event. A packet dropped inside a live connection has no counterpart in the spec (its
     * channels are TCP's, which lose nothing): {@code Unmapped}, so TLC rejects the trace there.
     */
    public void wireFault(ConnectionId connection, WireFault fault, List<Effect> effects, BrokerState after) {
        String c = clientOf.get(connection);
        if (c != null && fault instanceof WireFault.Duplicated d) {
            event("WireDuplicate", c, "none", 0, d.copy().packetId());
        } else if (c != null && (fault instanceof WireFault.Discarded
                || fault instanceof WireFault.Withheld w && w.dropped())) {
            event("Unmapped", c, "a packet dropped by a fault rule", 0, 0);
        }
        effects(effects, Cause.OTHER, null);
        states(after);
    }

    /** The records of the steps since the last call, or "" if they had none. */
    public String take() {
        String s = text.toString();
        text.setLength(0);
        return s;
    }

    private void accepted(ConnectionId connection, Connect connect, List<Effect> effects) {
        String client = null;
        Connack ack = null;
        for (Effect e : effects) {
            if (e instanceof Effect.Attached a && a.connection().equals(connection)) {
                client = a.clientId();
            } else if (e instanceof Effect.Send s && s.connection().equals(connection) && s.packet() instanceof Connack k) {
                ack = k;
            }
        }
        if (client == null || ack == null || ack.reasonCode().isError()) {
            return;
        }
        boolean k = connect.version().isV5()
                ? connect.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, 0) > 0
                : !connect.cleanStart();
        clientOf.put(connection, client);
        lastSession.putIfAbsent(client, null);
        keep.put(client, k);
        if (connect.cleanStart()) {
            subscribedQos.remove(client);
        }
        if (connect.cleanStart() || !ack.sessionPresent()) {
            clientFlows.remove(client);   // the spec's client starts afresh too
        }
        event("ClientConnect", client, "none", 0, 0, connect.cleanStart(), k, ack.sessionPresent());
    }

    private void ended(ConnectionId connection, boolean disconnect) {
        String c = clientOf.remove(connection);
        if (c == null) {
            return;
        }
        event(disconnect ? "ClientDisconnect" : "ConnectionLost", c, "none", 0, 0);
        if (!keep.getOrDefault(c, false)) {
            subscribedQos.remove(c);
            clientFlows.remove(c);
        }
    }

    private void received(String c, Packet packet) {
        if (packet instanceof Publish p) {
            String m = message(p);
            int q = p.qos().value();
            Map<Integer, String> flows = clientFlows.computeIfAbsent(c, k -> new HashMap<>());
            if (q == 0 || !m.equals(flows.get(p.packetId()))) {
                event("ClientPublish", c, m, q, p.packetId());
                if (q > 0) {
                    flows.put(p.packetId(), m);
                }
            }
            event("ServerReceivesPublish", c, m, q, p.packetId());
        } else if (packet instanceof Subscribe s) {
            int q = s.subscriptions().get(0).options().maxQos().value();
            if (s.subscriptions().size() > 1) {
                event("Unmapped", c, "a SUBSCRIBE with several filters", 0, 0);
            } else if (!Integer.valueOf(q).equals(subscribedQos.put(c, q))) {  // the spec's ClientSubscribe changes the QoS
                event("ClientSubscribe", c, "none", q, 0);
            }
        } else if (packet instanceof Unsubscribe) {
            if (subscribedQos.remove(c) != null) {
                event("ClientUnsubscribe", c, "none", 0, 0);
            }
        } else {
            event(c, acknowledgementRead(packet));
        }
    }

    /** One spec action with the arguments a packet gives it ("none" and 0 where it takes none). */
    public record Action(String name, String message, int qos, int packetId) {
    }

    /**
     * The action of a packet the server read from an accepted connection, when the packet alone
     * decides it: PUBACK, PUBREC, PUBREL, PUBCOMP; null for PINGREQ (no spec action); {@code
     * Unmapped} for anything else (CONNECT, DISCONNECT, PUBLISH, SUBSCRIBE and UNSUBSCRIBE depend
     * on what came before, and are the caller's).
     */
    public static Action acknowledgementRead(Packet packet) {
        if (packet instanceof PubAck a) {
            return new Action("ServerReceivesPuback", "none", 0, a.packetId());
        } else if (packet instanceof PubRec r) {
            return new Action("ServerReceivesPubrec", "none", 0, r.packetId());
        } else if (packet instanceof PubRel r) {
            return new Action("ServerReceivesPubrel", "none", 0, r.packetId());
        } else if (packet instanceof PubComp r) {
            return new Action("ServerReceivesPubcomp", "none", 0, r.packetId());
        }
        return packet instanceof PingReq ? null : new Action("Unmapped", "server read " + packet.type(), 0, 0);
    }

    /**
     * The action of a packet the server sent because of {@code cause}, or null when it is part of
     * the action that read a packet: QoS 0 copies, and the PUBACK / PUBREC / PUBREL / PUBCOMP
     * answers. A QoS 1/2 PUBLISH is {@code ServerSendsPublish} when new, a resend
     * ({@code ReconnectResend} after a CONNECT, {@code TimedResend} on the 3.1.1 timer) when DUP;
     * a PUBREL sent other than in answer is a resend too.
     */
    public static Action sent(Packet packet, Cause cause) {
        if (packet instanceof Publish p && p.qos().value() > 0) {
            if (!p.dup() && (cause == Cause.PACKET || cause == Cause.CONNECT)) {
                return new Action("ServerSendsPublish", message(p), p.qos().value(), p.packetId());
            } else if (p.dup() && cause == Cause.CONNECT) {
                return new Action("ReconnectResend", "none", 0, p.packetId());
            } else if (p.dup() && cause == Cause.RESEND_TIMER) {
                return new Action("TimedResend", "none", 0, p.packetId());
            }
            return new Action("Unmapped", "sent " + p + " on " + cause, 0, p.packetId());
        } else if (packet instanceof PubRel r && (cause == Cause.CONNECT || cause == Cause.RESEND_TIMER)) {
            return new Action(cause == Cause.CONNECT ? "ReconnectResend" : "TimedResend", "none", 0, r.packetId());
        }
        return null;
    }

    private void effects(List<Effect> effects, Cause cause, ConnectionId disconnecting) {
        for (Effect e : effects) {
            if (e instanceof Effect.Close close) {
                ended(close.connection(), close.connection().equals(disconnecting));
            } else if (e instanceof Effect.Send s && clientOf.containsKey(s.connection())) {
                event(clientOf.get(s.connection()), sent(s.packet(), cause));
            }
        }
    }

    /** An S line for every known client whose session or connection changed (values are immutable: == suffices). */
    private void states(BrokerState after) {
        boolean any = hasEvents;
        for (Map.Entry<String, Object> e : lastSession.entrySet()) {
            String c = e.getKey();
            Object version = SessionRecord.version(after, c);
            boolean connected = after.isConnected(c);
            if (version != e.getValue() || connected != lastConnected.getOrDefault(c, false)) {
                e.setValue(version);
                lastConnected.put(c, connected);
                text.append("S\t").append(SessionRecord.text(c)).append('\t')
                        .append(SessionRecord.of(after, c, null)).append('\n');
                any = true;
            }
        }
        if (any) {
            text.append(";\n");
        }
        hasEvents = false;
    }

    private void event(String c, Action a) {
        if (a != null) {
            event(a.name(), c, a.message(), a.qos(), a.packetId());
        }
    }

    private void event(String action, String c, String m, int q, int pid) {
        event(action, c, m, q, pid, false, false, false);
    }

    private void event(String action, String c, String m, int q, int pid, boolean clean, boolean k, boolean sp) {
        text.append("E\t").append(action).append('\t').append(SessionRecord.text(c)).append('\t')
                .append(SessionRecord.text(m)).append('\t').append(q).append('\t').append(pid).append('\t')
                .append(clean).append('\t').append(k).append('\t').append(sp).append('\n');
        hasEvents = true;
    }

    private static String message(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }
}
