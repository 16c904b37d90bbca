package io.checkedmqtt.model;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.testkit.SimClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each client must observe, kept as plainly as possible: the server's session of each client
 * as the spec ({@code tla/Mqtt.tla}) describes it (subscription QoS, kept or not, the QoS
 * 1/2 messages it owes in routing order, the QoS 2 identifiers awaiting PUBREL), and the history
 * the spec's invariants talk about. It never looks inside the core: it hears only what crossed the
 * wire ({@link Observer}) and throws {@link ModelViolation} as soon as an observation breaks a
 * rule. The invariants are named as in the spec.
 */
final class ReferenceModel implements Observer {

    /**
     * One copy of a message owed to a session: its publisher and the QoS it was routed with;
     * {@code packetId} 0 until the server first sends it.
     */
    private static final class Copy {
        final String message;
        final String from;
        final int qos;
        int packetId;

        Copy(String message, String from, int qos) {
            this.message = message;
            this.from = from;
            this.qos = qos;
        }

        @Override
        public String toString() {
            return message + (packetId == 0 ? "" : "@" + packetId);
        }
    }

    /** The server's session of one client, as the model expects it. */
    private static final class View {
        boolean online;
        boolean exists;
        boolean keep;
        boolean v5;
        long expirySeconds;
        long offlineSince;
        int keepAliveSeconds;
        long lastHeard;
        int window;
        Integer sub;
        /** QoS 1/2 copies routed to the session and not yet handed to the application, in routing order. */
        final List<Copy> owed = new ArrayList<>();
        /** The QoS each copy of a message was routed with, in the current session. */
        final Map<String, Set<Integer>> allowed = new HashMap<>();
        /** Inbound QoS 2 identifiers of this client awaiting PUBREL. */
        final Set<Integer> inQos2 = new HashSet<>();
        /** Outbound QoS 1/2 messages the server sent and the client did not complete, by identifier. */
        final Map<Integer, String> serverInFlight = new LinkedHashMap<>();
        /** The QoS of every hand-over to the application, per message, over all sessions. */
        final Map<String, List<Integer>> delivered = new HashMap<>();

        void discard() {
            exists = false;
            sub = null;
            owed.clear();
            allowed.clear();
            inQos2.clear();
            serverInFlight.clear();
        }
    }

    private final BrokerConfig config;
    private final Map<String, View> views = new LinkedHashMap<>();
    private final Map<String, Integer> pubQos = new HashMap<>();
    private final java.util.function.LongSupplier clock;
    private long now;
    private int lastReadPid;
    private int checks;

    ReferenceModel(BrokerConfig config, Iterable<String> clients, java.util.function.LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        for (String c : clients) {
            views.put(c, new View());
        }
    }

    int checks() {
        return checks;
    }

    private void check(boolean ok, String invariant, String detail) {
        checks++;
        if (!ok) {
            throw new ModelViolation(invariant + " violated: " + detail);
        }
    }

    @Override
    public void clientPublished(String client, String message, int qos, int packetId) {
        pubQos.put(message, qos);
    }

    @Override
    public void serverAccepted(String client, Connect connect, boolean sessionPresent) {
        now = clock.getAsLong();
        View v = views.get(client);
        check(!v.online, "OneConnectionPerClient", client + " accepted twice without the old connection ending");
        // Session Present is 1 exactly when a kept session resumes [v3.1.1 MQTT-3.2.2-2, -3; v5 MQTT-3.2.2-2, -3].
        boolean expected = !connect.cleanStart() && v.exists;
        check(sessionPresent == expected, "SessionPresent",
                client + " CONNACK session present " + sessionPresent + ", expected " + expected);
        if (connect.cleanStart() || !v.exists) {
            v.discard();  // [v3.1.1 MQTT-3.1.2-6; v5 MQTT-3.1.2-4]
        }
        v.v5 = connect.version().isV5();
        v.online = true;
        v.exists = true;
        v.expirySeconds = v.v5 ? connect.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, 0) : -1;
        v.keep = v.v5 ? v.expirySeconds > 0 : !connect.cleanStart();
        v.keepAliveSeconds = connect.keepAliveSeconds();
        v.lastHeard = now;
        v.window = v.v5 ? (int) Math.min(config.maxInflightMessages(),
                connect.properties().integer(PropertyId.RECEIVE_MAXIMUM, 65_535)) : config.maxInflightMessages();
        // Messages the session already holds may exceed a smaller new window; they stay in flight.
    }

    @Override
    public void serverEnded(String client, Ending ending, ReasonCode reason) {
        now = clock.getAsLong();
        View v = views.get(client);
        if (ending == Ending.CLOSED_BY_SERVER) {
            boolean keepAlive = v.keepAliveSeconds > 0 && now - v.lastHeard >= v.keepAliveSeconds * 1500L;
            check(keepAlive, "NoUnexpectedClose", client + " closed by the server (" + reason + ") although "
                    + (now - v.lastHeard) + " ms < 1.5 x Keep Alive " + v.keepAliveSeconds + " s");
        }
        v.online = false;
        v.offlineSince = now;
        if (!v.keep) {
            v.discard();  // SessionEndsWithConnection
        }
    }

    @Override
    public void serverReceived(String client, Packet packet) {
        now = clock.getAsLong();
        View v = views.get(client);
        v.lastHeard = now;
        if (packet instanceof Publish p) {
            int q = p.qos().value();
            String m = new String(p.payload(), StandardCharsets.UTF_8);
            boolean route = q < 2 || !v.inQos2.contains(p.packetId());
            if (q == 2) {
                v.inQos2.add(p.packetId());
            }
            if (route) {
                route(client, m, q);
            }
        } else if (packet instanceof PubRel r) {
            v.inQos2.remove(r.packetId());
        } else if (packet instanceof PubAck a) {
            v.serverInFlight.remove(a.packetId());
        } else if (packet instanceof PubComp c) {
            v.serverInFlight.remove(c.packetId());
        } else if (packet instanceof Subscribe s) {
            v.sub = s.subscriptions().get(0).options().maxQos().value();
        } else if (packet instanceof Unsubscribe) {
            v.sub = null;
        }
    }

    /** The server routes m (published by {@code from} at QoS q) to every subscription: QoS min(q, sub). */
    private void route(String from, String m, int q) {
        for (View s : views.values()) {
            if (s.sub == null) {
                continue;
            }
            int dq = Math.min(q, s.sub);
            if (dq == 0) {
                if (s.online) {  // QoS 0 is never stored: online, or dropped
                    s.allowed.computeIfAbsent(m, k -> new HashSet<>()).add(0);
                }
            } else {
                s.owed.add(new Copy(m, from, dq));
                s.allowed.computeIfAbsent(m, k -> new HashSet<>()).add(dq);
            }
        }
    }

    @Override
    public void serverSent(String client, Packet packet, Cause cause) {
        View v = views.get(client);
        check(v.online, "SendsOnlyOnline", "sent " + packet + " to offline " + client);
        if (packet instanceof Publish p && p.qos().value() > 0 && !p.dup()) {
            String m = new String(p.payload(), StandardCharsets.UTF_8);
            check(!v.serverInFlight.containsKey(p.packetId()), "PacketIdsUniqueInFlight",
                    client + " got " + m + " with packet id " + p.packetId() + " still used by "
                            + v.serverInFlight.get(p.packetId()));
            v.serverInFlight.put(p.packetId(), m);
            // First transmissions follow the routing order [v3.1.1 MQTT-4.6.0-6; v5 MQTT-4.6.0-5, -6]:
            // the copy sent now is the oldest one not sent yet, and it was routed to this session.
            Copy next = null;
            for (Copy copy : v.owed) {
                if (copy.packetId == 0) {
                    next = copy;
                    break;
                }
            }
            check(next != null, "OnlyRoutedMessagesSent", client + " was sent " + m + " at QoS " + p.qos().value()
                    + " but the session owes no unsent copy (owed " + v.owed + ")");
            check(next.message.equals(m), "OrderedDelivery", client + " was sent " + m + " before " + next.message
                    + " (owed " + v.owed + ")");
            next.packetId = p.packetId();
            check(v.serverInFlight.size() <= v.window, "InFlightWithinReceiveMaximum",
                    client + " has " + v.serverInFlight.size() + " unacknowledged, window " + v.window);
        }
    }

    @Override
    public void applicationReceived(String client, String m, int q) {
        View v = views.get(client);
        Set<Integer> allowed = v.allowed.getOrDefault(m, Set.of());
        check(allowed.contains(q), "DeliveredQosIsMinimum",
                client + " got " + m + " at QoS " + q + "; routed to it in this session at " + allowed
                        + " (published at " + pubQos.get(m) + ")");
        List<Integer> history = v.delivered.computeIfAbsent(m, k -> new ArrayList<>());
        history.add(q);
        check(!(history.contains(2) && history.size() > 1), "Qos2DeliveredAtMostOnce",
                client + " got " + m + " " + history.size() + " times: " + history);
        check(!(pubQos.get(m) == 0 && history.size() > 1), "Qos0DeliveredAtMostOnce",
                client + " got QoS 0 message " + m + " " + history.size() + " times");
        if (q > 0) {
            // The first hand-over of a copy follows the routing order among the copies of one
            // publisher at one QoS [v3.1.1 MQTT-4.6.0-6; v5 MQTT-4.6.0-5]: none routed before it is
            // still owed. This sees resends too, which the check of first transmissions does not.
            Copy handed = v.owed.stream().filter(c -> c.packetId == lastReadPid && c.message.equals(m))
                    .findFirst().orElse(null);
            for (Copy earlier : handed == null ? List.<Copy>of() : v.owed.subList(0, v.owed.indexOf(handed))) {
                check(!earlier.from.equals(handed.from) || earlier.qos != handed.qos, "OrderedDelivery",
                        client + "'s application got " + m + " before " + earlier.message + " (both from "
                                + handed.from + " at QoS " + handed.qos + ", owed " + v.owed + ")");
            }
            // This copy is delivered: the session owes it no more (a repeat finds nothing to remove).
            v.owed.removeIf(copy -> copy.packetId == lastReadPid && copy.message.equals(m));
        }
    }

    @Override
    public void clientRead(String client, Packet packet) {
        lastReadPid = packet instanceof Publish p ? p.packetId() : 0;
    }

    @Override
    public void timeAdvanced(long nowMillis) {
        now = nowMillis;
        for (Map.Entry<String, View> e : views.entrySet()) {
            View v = e.getValue();
            if (!v.online && v.exists && v.v5 && v.expirySeconds >= 0 && v.expirySeconds != 0xFFFF_FFFFL
                    && now >= v.offlineSince + v.expirySeconds * 1000) {
                v.discard();  // [v5 MQTT-3.1.2-23]
            }
            if (v.online && v.keepAliveSeconds > 0) {
                check(now - v.lastHeard <= v.keepAliveSeconds * 1500L, "KeepAliveEnforced",
                        e.getKey() + " silent for " + (now - v.lastHeard) + " ms, Keep Alive "
                                + v.keepAliveSeconds + " s, still connected [v3.1.1 MQTT-3.1.2-24; v5 MQTT-3.1.2-22]");
            }
        }
    }

    /** Whether the server may still hold a session for this client (for the final reconnect). */
    boolean mayHoldSession(String client) {
        View v = views.get(client);
        return v.exists && v.keep;
    }

    /** After the network went quiet with every kept session online: nothing is owed any more. */
    void checkSettled(World world) {
        for (Map.Entry<String, View> e : views.entrySet()) {
            View v = e.getValue();
            if (!v.online) {
                continue;
            }
            check(v.owed.isEmpty(), "AcceptedMessagesAreDelivered", e.getKey() + " still owed " + v.owed);
            check(v.serverInFlight.isEmpty(), "ServerHandshakesComplete",
                    e.getKey() + " still has unacknowledged " + v.serverInFlight);
            SimClient client = world.clients.get(e.getKey());
            check(client.cOut.isEmpty(), "ClientHandshakesComplete",
                    e.getKey() + " still awaits acknowledgements for " + client.cOut);
        }
    }
}
