package io.checkedmqtt.testkit;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A correct MQTT client, as the spec's clients are: it keeps its unacknowledged publishes by
 * packet identifier ({@link #cOut}) and the QoS 2 identifiers it delivered and whose PUBREL it
 * awaits ("method B" of [MQTT-4.3.3]); it resends its own in identifier order when it resumes a
 * session, hands a QoS 2 message to its application once, and counts what its application
 * received, by payload. A session the server does not have is dropped on the client's side too
 * [v5 MQTT-3.2.2-5; 3.1.1 3.2.2.2 leaves the client the choice].
 *
 * <p>Two ways to drive it: against a {@link BrokerHarness} ({@link #connect}, {@link #step},
 * {@link #drain}, {@link #lose}, {@link #disconnect}, which keep {@link #connection}); or by a
 * harness that moves packets itself (model-tests' {@code World}), which calls {@link #accepted},
 * {@link #read} and {@link #ended} and keeps {@link #phase}.
 */
public final class SimClient {

    /** One unacknowledged publish of this client. */
    public record InFlight(String topic, String message, int qos, boolean released) {
    }

    /** Where the client's current connection stands, for a harness that moves packets itself. */
    public enum Phase { OFFLINE, OPENED, CONNECTING, CONNECTED, DISCONNECTING }

    public final String id;
    /** What {@link #connect} sends: the version, the clean flag and the 5.0 Receive Maximum (0: none). */
    public final ProtocolVersion version;
    public final boolean clean;
    public final int receiveMaximum;

    public Phase phase = Phase.OFFLINE;
    /** The CONNECT of the last accepted connection. */
    public Connect lastConnect;
    /** Whether the session of the last accepted connection outlives it. */
    private boolean keep;
    public final TreeMap<Integer, InFlight> cOut = new TreeMap<>();
    private final Set<Integer> cIn = new HashSet<>();
    /** Acknowledgements withheld (see {@link #read}) for the harness to send in any order. */
    public final List<Packet> pendingAcks = new ArrayList<>();
    private final Map<String, Integer> received = new HashMap<>();

    /** The connection on a {@link BrokerHarness}; null while offline. */
    public ConnectionId connection;
    /** Session Present of the last CONNACK. */
    public boolean sessionPresent;
    private final Deque<Packet> unread = new ArrayDeque<>();

    /** A client whose harness builds its CONNECTs itself. */
    public SimClient(String id) {
        this(id, ProtocolVersion.MQTT_5, true, 0);
    }

    public SimClient(String id, ProtocolVersion version, boolean clean) {
        this(id, version, clean, 0);
    }

    public SimClient(String id, ProtocolVersion version, boolean clean, int receiveMaximum) {
        this.id = id;
        this.version = version;
        this.clean = clean;
        this.receiveMaximum = receiveMaximum;
    }

    // ---- the client's protocol, whoever moves its packets ----

    public int freePacketId() {
        int pid = 1;
        while (cOut.containsKey(pid)) {
            pid++;
        }
        return pid;
    }

    /** The application publishes {@code message}: the PUBLISH to send, kept until acknowledged when QoS > 0. */
    public Publish publish(String topic, String message, int qos) {
        int pid = qos == 0 ? 0 : freePacketId();
        if (qos > 0) {
            cOut.put(pid, new InFlight(topic, message, qos, false));
        }
        return new Publish(topic, bytes(message), QoS.of(qos), false, false, pid, Properties.EMPTY);
    }

    /** The server accepted {@code connect}: what the client sends first (its resends, or nothing). */
    public List<Packet> accepted(Connect connect, boolean sessionPresent) {
        phase = Phase.CONNECTED;
        lastConnect = connect;
        this.sessionPresent = sessionPresent;
        keep = connect.version().isV5() ? connect.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, 0) > 0
                : !connect.cleanStart();
        pendingAcks.clear();
        if (connect.cleanStart() || !sessionPresent) {
            // a clean start, or a server without our session (say it expired): drop ours rather
            // than resend into a new session, where a repeated QoS 2 PUBLISH would be new
            forget();
            return List.of();
        }
        List<Packet> resend = new ArrayList<>();
        for (var e : cOut.entrySet()) {
            InFlight f = e.getValue();
            resend.add(f.released() ? new PubRel(e.getKey())
                    : new Publish(f.topic(), bytes(f.message()), QoS.of(f.qos()), false, true, e.getKey(),
                    Properties.EMPTY));
        }
        return resend;
    }

    /** The accepted connection ended: a session that is not kept ends on both sides. */
    public void ended() {
        pendingAcks.clear();
        if (!keep) {
            forget();
        }
    }

    public void forget() {
        cOut.clear();
        cIn.clear();
    }

    /**
     * Reads one packet from the server. Returns the packets to send back now (none when
     * {@code deferAcks}: they wait in {@link #pendingAcks}); each message handed to the
     * application is counted and reported to {@code delivered} with its QoS.
     */
    public List<Packet> read(Packet packet, boolean deferAcks, BiConsumer<String, Integer> delivered) {
        List<Packet> reply = new ArrayList<>();
        if (packet instanceof Publish p) {
            String m = new String(p.payload(), StandardCharsets.UTF_8);
            int q = p.qos().value();
            if (q == 0 && p.dup()) {
                throw new IllegalStateException("QoS 0 PUBLISH with DUP set [MQTT-3.3.1-2]: " + p);
            }
            if (q < 2 || cIn.add(p.packetId())) {
                received.merge(m, 1, Integer::sum);
                delivered.accept(m, q);
            }
            if (q == 1) {
                reply.add(new PubAck(p.packetId()));
            } else if (q == 2) {
                reply.add(new PubRec(p.packetId()));
            }
        } else if (packet instanceof PubAck a) {
            InFlight f = cOut.get(a.packetId());
            if (f != null && f.qos() == 1) {
                cOut.remove(a.packetId());
            }
        } else if (packet instanceof PubRec r) {
            InFlight f = cOut.get(r.packetId());
            if (f != null && f.qos() == 2) {
                cOut.put(r.packetId(), new InFlight(f.topic(), f.message(), 2, true));
                reply.add(new PubRel(r.packetId()));
            }
        } else if (packet instanceof PubRel r) {
            cIn.remove(r.packetId());
            reply.add(new PubComp(r.packetId()));
        } else if (packet instanceof PubComp c) {
            InFlight f = cOut.get(c.packetId());
            if (f != null && f.released()) {
                cOut.remove(c.packetId());
            }
        }
        if (deferAcks) {
            pendingAcks.addAll(reply);
            return List.of();
        }
        return reply;
    }

    /** How often the application received {@code payload}. */
    public int count(String payload) {
        return received.getOrDefault(payload, 0);
    }

    // ---- driven against a BrokerHarness ----

    public Connect connectPacket() {
        Connect c = clean ? Packets.connect(version, id, true) : Packets.kept(version, id);
        return receiveMaximum == 0 || !version.isV5() ? c
                : Packets.withProperty(c, PropertyId.RECEIVE_MAXIMUM, receiveMaximum);
    }

    public boolean online() {
        return connection != null;
    }

    /** Opens a connection, sends {@link #connectPacket()} and reads the CONNACK, which must accept it. */
    public void connect(BrokerHarness h) {
        connection = h.open();
        unread.clear();
        Connect connect = connectPacket();
        h.in(connection, connect);
        fetch(h);
        Packet first = unread.poll();
        assertTrue(first instanceof Connack c && !c.reasonCode().isError(), "CONNACK expected: " + first);
        for (Packet resend : accepted(connect, ((Connack) first).sessionPresent())) {
            h.in(connection, resend);
        }
    }

    /** Move what the server sent into the unread queue. */
    public void fetch(BrokerHarness h) {
        if (connection != null) {
            unread.addAll(h.out(connection));
        }
    }

    public int unreadCount() {
        return unread.size();
    }

    /** Read and answer one packet (unless the answer is lost on the way); false when nothing is waiting. */
    public boolean step(BrokerHarness h, boolean loseAnswer) {
        fetch(h);
        Packet p = unread.poll();
        if (p == null) {
            return false;
        }
        List<Packet> answers = read(p, false, (message, qos) -> { });
        if (!loseAnswer && !h.isClosed(connection)) {
            for (Packet answer : answers) {
                h.in(connection, answer);
            }
        }
        return true;
    }

    /** Read and answer everything until the server has nothing more to say. */
    public void drain(BrokerHarness h) {
        while (online() && !h.isClosed(connection) && step(h, false)) {
            // keep going
        }
    }

    /** The network drops the connection. */
    public void lose(BrokerHarness h) {
        if (connection != null && !h.isClosed(connection)) {
            h.lose(connection);
        }
        offline();
    }

    public void disconnect(BrokerHarness h) {
        h.in(connection, Disconnect.NORMAL);
        offline();
    }

    private void offline() {
        if (connection != null) {
            ended();
        }
        connection = null;
        phase = Phase.OFFLINE;
        unread.clear();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
