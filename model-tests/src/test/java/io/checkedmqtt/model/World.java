package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.testkit.SimClient;
import io.checkedmqtt.testkit.TestedCore;
import io.checkedmqtt.testkit.VirtualClock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The core, its clients and the network between them, in virtual time: what the nio shell and
 * the sockets would do, with every interleaving in the runner's hands. Each connection is a
 * pair of FIFO channels (MQTT runs over TCP); a connection that ends loses what they hold.
 * Every method is one atomic step of the environment and returns false when the step is not
 * possible in the current state (so that a shrunk action list still replays).
 */
final class World {

    static final String TOPIC = "t";

    /** One network connection and what is on its way in each direction. */
    static final class Conn {
        final ConnectionId id;
        final SimClient client;
        final ArrayDeque<Packet> toServer = new ArrayDeque<>();
        final ArrayDeque<Packet> toClient = new ArrayDeque<>();
        final long openedAt;
        Connect connect;
        boolean accepted;
        boolean closed;

        Conn(ConnectionId id, SimClient client, long openedAt) {
            this.id = id;
            this.client = client;
            this.openedAt = openedAt;
        }
    }

    final BrokerConfig config;
    private final TestedCore core;
    private final List<Observer> observers = new ArrayList<>();
    private final boolean deferAcks;
    private BrokerState state;
    private final VirtualClock clock = new VirtualClock(1_000_000);
    private long nextConnection = 1;
    private int nextMessage = 1;
    final Map<String, SimClient> clients = new LinkedHashMap<>();
    /** The newest connection of each client, and an older one a take-over will replace. */
    final Map<String, Conn> current = new LinkedHashMap<>();
    final Map<String, Conn> previous = new LinkedHashMap<>();
    private final Map<ConnectionId, Conn> conns = new LinkedHashMap<>();

    World(TestedCore core, BrokerConfig config, List<String> clientIds, boolean deferAcks) {
        this.core = core;
        this.config = config;
        this.deferAcks = deferAcks;
        this.state = core.initialState();
        for (String id : clientIds) {
            clients.put(id, new SimClient(id));
        }
    }

    void observe(Observer o) {
        observers.add(o);
    }

    // ---- the clients act ----

    /** Open a TCP connection (a take-over if the client is already connected). */
    boolean open(String c) {
        Conn cur = current.get(c);
        if (cur != null && !(cur.accepted && previous.get(c) == null)) {
            return false;
        }
        if (cur != null) {
            previous.put(c, cur);  // abandoned by the client; the server still has it until the take-over
        }
        Conn conn = new Conn(new ConnectionId(nextConnection++), clients.get(c), clock.now());
        conns.put(conn.id, conn);
        current.put(c, conn);
        conn.client.phase = SimClient.Phase.OPENED;
        run(core.connectionOpened(state, conn.id, clock.now()), null, Observer.Cause.OTHER_TIMER);
        return true;
    }

    boolean sendConnect(String c, io.checkedmqtt.core.packet.ProtocolVersion v, boolean clean, long expiry, int keepAlive, int receiveMaximum) {
        Conn conn = current.get(c);
        if (conn == null || conn.client.phase != SimClient.Phase.OPENED) {
            return false;
        }
        Properties props = Properties.EMPTY;
        if (v.isV5()) {
            if (expiry > 0) {
                props = props.withInteger(io.checkedmqtt.core.packet.PropertyId.SESSION_EXPIRY_INTERVAL, expiry);
            }
            props = props.withInteger(io.checkedmqtt.core.packet.PropertyId.RECEIVE_MAXIMUM, receiveMaximum);
        }
        Connect connect = new Connect(v, c, clean, keepAlive, null, null, null, props);
        conn.connect = connect;
        conn.toServer.add(connect);
        conn.client.phase = SimClient.Phase.CONNECTING;
        return true;
    }

    private Conn connected(String c) {
        Conn conn = current.get(c);
        return conn != null && conn.client.phase == SimClient.Phase.CONNECTED ? conn : null;
    }

    boolean subscribe(String c, int qos, int packetId) {
        Conn conn = connected(c);
        if (conn == null) {
            return false;
        }
        conn.toServer.add(new Subscribe(packetId,
                List.of(new Subscription(TOPIC, SubscriptionOptions.of(QoS.of(qos)))), Properties.EMPTY));
        return true;
    }

    boolean unsubscribe(String c, int packetId) {
        Conn conn = connected(c);
        if (conn == null) {
            return false;
        }
        conn.toServer.add(new Unsubscribe(packetId, List.of(TOPIC), Properties.EMPTY));
        return true;
    }

    /** The client's application publishes a new message; returns its name, or null. */
    String publish(String c, int qos) {
        Conn conn = connected(c);
        if (conn == null) {
            return null;
        }
        String m = "m" + nextMessage++;
        Publish publish = conn.client.publish(TOPIC, m, qos);
        conn.toServer.add(publish);
        for (Observer o : observers) {
            o.clientPublished(c, m, qos, publish.packetId());
        }
        return m;
    }

    boolean disconnect(String c) {
        Conn conn = connected(c);
        if (conn == null) {
            return false;
        }
        conn.toServer.add(Disconnect.NORMAL);
        conn.client.phase = SimClient.Phase.DISCONNECTING;
        return true;
    }

    /** The client reads the next packet from its current connection. */
    boolean clientReads(String c) {
        Conn conn = current.get(c);
        if (conn == null || conn.toClient.isEmpty() || conn.client.phase == SimClient.Phase.DISCONNECTING) {
            return false;  // after DISCONNECT the client reads nothing more [v3.1.1 MQTT-3.14.4-1]
        }
        Packet p = conn.toClient.poll();
        for (Observer o : observers) {
            o.clientRead(c, p);
        }
        List<Packet> reply = conn.client.read(p, deferAcks, (m, q) -> {
            for (Observer o : observers) {
                o.applicationReceived(c, m, q);
            }
        });
        conn.toServer.addAll(reply);
        return true;
    }

    /** The client sends one of its withheld acknowledgements, chosen by index. */
    boolean clientAcks(String c, int index) {
        Conn conn = connected(c);
        if (conn == null || conn.client.pendingAcks.isEmpty()) {
            return false;
        }
        conn.toServer.add(conn.client.pendingAcks.remove(index % conn.client.pendingAcks.size()));
        return true;
    }

    // ---- the server and the network act ----

    /** The core reads the next packet the client sent on its current (or previous) connection. */
    boolean serverReads(String c, boolean old) {
        Conn conn = old ? previous.get(c) : current.get(c);
        if (conn == null || conn.closed || conn.toServer.isEmpty()) {
            return false;
        }
        Packet p = conn.toServer.poll();
        if (conn.accepted && !(p instanceof Disconnect)) {
            for (Observer o : observers) {
                o.serverReceived(c, p);
            }
        }
        Step step = core.packetReceived(state, conn.id, p, clock.now());
        run(step, new Input(conn, p), p instanceof Connect ? Observer.Cause.CONNECT : Observer.Cause.PACKET);
        return true;
    }

    /** The network loses the connection (the client's current one, or the one being taken over). */
    boolean drop(String c, boolean old) {
        Conn conn = old ? previous.get(c) : current.get(c);
        if (conn == null || conn.closed) {
            return false;
        }
        endConnection(conn, Observer.Ending.LOST, null);
        run(core.connectionLost(state, conn.id, clock.now()), null, Observer.Cause.CONNECTION_END);
        return true;
    }

    /** Let virtual time pass, firing every timer that falls due, in deadline order. */
    void advance(long millis) {
        clock.advance(millis, timer -> run(core.timerFired(state, timer, clock.now()), null,
                timer instanceof Timer.Resend ? Observer.Cause.RESEND_TIMER : Observer.Cause.OTHER_TIMER));
        for (Observer o : observers) {
            o.timeAdvanced(clock.now());
        }
    }

    long now() {
        return clock.now();
    }

    // ---- carrying out effects ----

    private record Input(Conn conn, Packet packet) {
    }

    private void run(Step step, Input input, Observer.Cause cause) {
        state = step.state();
        List<Packet> clientResends = null;
        Conn resendOn = null;
        List<Effect> effects = new ArrayList<>(step.effects());
        if (input != null && input.packet instanceof Connect) {
            // A take-over ends the old connection before the new one starts, whatever the order
            // of the effects: the spec sees ConnectionLost, then ClientConnect.
            effects.sort(java.util.Comparator.comparingInt(e -> elsewhere(e, input.conn) ? 0 : 1));
        }
        for (Effect e : effects) {
            if (e instanceof Effect.Send s) {
                Conn conn = conns.get(s.connection());
                if (conn == null || conn.closed) {
                    throw new ModelViolation("core sent " + s.packet() + " on closed " + s.connection()
                            + " [v5 MQTT-3.14.4-1]");
                }
                if (s.packet() instanceof Connack ack) {
                    if (ack.reasonCode().isError()) {
                        throw new ModelViolation("core refused a valid CONNECT: " + ack);
                    }
                    conn.accepted = true;
                    for (Observer o : observers) {
                        o.serverAccepted(conn.client.id, conn.connect, ack.sessionPresent());
                    }
                    clientResends = conn.client.accepted(conn.connect, ack.sessionPresent());
                    resendOn = conn;
                } else if (conn.accepted) {
                    for (Observer o : observers) {
                        o.serverSent(conn.client.id, s.packet(), cause);
                    }
                }
                conn.toClient.add(s.packet());
            } else if (e instanceof Effect.Close cl) {
                Conn conn = conns.get(cl.connection());
                if (conn != null && !conn.closed) {
                    Observer.Ending ending;
                    if (input != null && input.conn == conn && input.packet instanceof Disconnect) {
                        ending = Observer.Ending.DISCONNECT;
                    } else if (input != null && input.packet instanceof Connect && input.conn != conn
                            && input.conn.client == conn.client) {
                        ending = Observer.Ending.TAKEN_OVER;
                    } else {
                        ending = Observer.Ending.CLOSED_BY_SERVER;
                    }
                    endConnection(conn, ending, cl.reason());
                }
            } else {
                clock.track(e);
            }
        }
        if (clientResends != null && !resendOn.closed) {
            resendOn.toServer.addAll(clientResends);
        }
    }

    private boolean elsewhere(Effect e, Conn conn) {
        ConnectionId target = e instanceof Effect.Send s ? s.connection()
                : e instanceof Effect.Close cl ? cl.connection() : conn.id;
        return !target.equals(conn.id);
    }

    private void endConnection(Conn conn, Observer.Ending ending, ReasonCode reason) {
        conn.closed = true;
        conn.toServer.clear();
        conn.toClient.clear();
        String c = conn.client.id;
        if (conn.accepted) {
            for (Observer o : observers) {
                o.serverEnded(c, ending, reason);
            }
            conn.client.ended();
        }
        if (current.get(c) == conn) {
            current.remove(c);
            conn.client.phase = SimClient.Phase.OFFLINE;
            Conn prev = previous.remove(c);
            if (prev != null) {
                current.put(c, prev);  // never happens for a take-over: the old one ends first
                conn.client.phase = SimClient.Phase.CONNECTED;
            }
        } else if (previous.get(c) == conn) {
            previous.remove(c);
        }
    }

    /** Whether some packet is still on its way or some acknowledgement withheld. */
    boolean quiet() {
        for (Conn conn : current.values()) {
            if (!conn.closed && (!conn.toServer.isEmpty() || !conn.toClient.isEmpty())) {
                return false;
            }
        }
        for (SimClient client : clients.values()) {
            if (!client.pendingAcks.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    int messagesPublished() {
        return nextMessage - 1;
    }
}
