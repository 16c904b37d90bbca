package io.checkedmqtt.testkit;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Holdings;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives a {@link BrokerCore} the way the shell does, with virtual time and no sockets: keeps the
 * state, runs the effects (collects sent packets per connection, marks closes, keeps timers in a
 * {@link VirtualClock}) and fires timers when time advances. Checks the effect contract as it goes: nothing is sent on a
 * connection after the core closed it [v5 MQTT-3.14.4-1], and nothing before the core has said,
 * once, which version the connection speaks ({@link Effect.Attached} or {@link Effect.Refused}).
 */
public final class BrokerHarness {

    private final TestedCore core;
    private BrokerState state;
    private final VirtualClock clock = new VirtualClock(1_000_000);
    private long nextConnection = 1;
    private long nonces;
    private String fixedNonce;
    private final Map<ConnectionId, List<Packet>> inbox = new HashMap<>();
    private final Map<ConnectionId, ReasonCode> closed = new HashMap<>();
    private final Set<ConnectionId> lost = new HashSet<>();
    private final Map<ConnectionId, ProtocolVersion> versions = new HashMap<>();
    private final List<Effect> allEffects = new ArrayList<>();

    public BrokerHarness(TestedCore core) {
        this.core = core;
        state = core.initialState();
    }

    public BrokerHarness(BrokerConfig config) {
        this(TestedCore.of(config));
    }

    public BrokerHarness() {
        this(BrokerConfig.defaults());
    }

    public TestedCore core() {
        return core;
    }

    public BrokerState state() {
        return state;
    }

    public long now() {
        return clock.now();
    }

    /** The timers the core has scheduled and not cancelled, with their deadlines. */
    public Map<Timer, Long> timers() {
        return clock.timers();
    }

    /** From now on, {@code nonce} is the server nonce of every exchange (to replay a published test vector). */
    public void fixNonce(String nonce) {
        fixedNonce = nonce;
    }

    /** Every effect the core returned so far, in order (read-only). */
    public List<Effect> allEffects() {
        return Collections.unmodifiableList(allEffects);
    }

    public ConnectionId open() {
        ConnectionId c = new ConnectionId(nextConnection++);
        inbox.put(c, new ArrayList<>());
        run(core.connectionOpened(state, c, clock.now()));
        return c;
    }

    /** A new connection whose client has connected (clean start) and read its CONNACK. */
    public ConnectionId connected(ProtocolVersion version, String clientId) {
        ConnectionId c = open();
        in(c, Packets.connect(version, clientId, true));
        out(c);
        return c;
    }

    /** The client on {@code c} sends these packets. */
    public void in(ConnectionId c, Packet... packets) {
        for (Packet p : packets) {
            if (isClosed(c)) {
                fail("test sends on closed connection " + c);
            }
            // The shell draws a nonce for packets that may open an authentication exchange; here it
            // is a counter, so runs replay exactly.
            String nonce = null;
            if (BrokerCore.needsServerNonce(p)) {
                nonce = fixedNonce != null ? fixedNonce : String.format("harness-nonce-%08d", ++nonces);
            }
            run(core.packetReceived(state, c, p, clock.now(), nonce));
        }
    }

    /**
     * The client on {@code c} sends {@code packet} as bytes: encoded, decoded as the shell decodes
     * (which must give the packet back), then handed to the core.
     */
    public void inWire(ConnectionId c, ProtocolVersion version, Packet packet) {
        ByteBuffer wire = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, wire);
        wire.flip();
        DecodeResult result = new MqttDecoder(core.config().maximumPacketSize()).decode(wire, version);
        assertEquals(new DecodeResult.Decoded(packet, wire.limit()), result, "decoded as sent");
        in(c, packet);
    }

    /** The client on {@code c} sends this frame, which must decode as {@code version}; the packet goes to the core. */
    public Packet inBytes(ConnectionId c, ProtocolVersion version, byte[] frame) {
        DecodeResult result = new MqttDecoder(core.config().maximumPacketSize()).decode(ByteBuffer.wrap(frame), version);
        Packet packet = assertInstanceOf(DecodeResult.Decoded.class, result, "decodes").packet();
        in(c, packet);
        return packet;
    }

    public void malformed(ConnectionId c, ReasonCode reason) {
        run(core.malformedPacket(state, c, reason, "test", null, clock.now()));
    }

    /** Malformed input the decoder read as {@code version} (null: not known). */
    public void malformed(ConnectionId c, ReasonCode reason, ProtocolVersion version) {
        run(core.malformedPacket(state, c, reason, "test", version, clock.now()));
    }

    /** The network drops the connection. */
    public void lose(ConnectionId c) {
        lost.add(c);
        closed.putIfAbsent(c, null);
        run(core.connectionLost(state, c, clock.now()));
    }

    public void shutdown() {
        run(core.shutdown(state, clock.now()));
    }

    /** Let time pass, firing every timer that falls due, in deadline order. */
    public void advance(long millis) {
        clock.advance(millis, timer -> run(core.timerFired(state, timer, clock.now())));
    }

    /** Packets the server sent to {@code c} since the last call, and forget them. */
    public List<Packet> out(ConnectionId c) {
        List<Packet> l = inbox.get(c);
        List<Packet> copy = List.copyOf(l);
        l.clear();
        return copy;
    }

    public boolean isClosed(ConnectionId c) {
        return closed.containsKey(c);
    }

    /** Closed by the server (not lost), with this reason. */
    public ReasonCode closeReason(ConnectionId c) {
        return closed.get(c);
    }

    public boolean closedByServer(ConnectionId c) {
        return closed.containsKey(c) && !lost.contains(c);
    }

    /**
     * The holdings the state keeps step by step are those of its sessions counted afresh, message
     * by message (up to a few hundred sessions, to keep large tests fast): a leak in the
     * bookkeeping would slowly fill the memory budget and have the broker refuse everything.
     */
    private void checkHoldings() {
        if (state.sessions().size() > 300) {
            return;
        }
        long kept = 0;
        long sessionBytes = 0;
        long messages = 0;
        long bytes = 0;
        long holders = 0;
        long subscriptionBytes = 0;
        for (Session s : state.sessions().values()) {
            for (String filter : s.subscriptions().keySet()) {
                subscriptionBytes += Holdings.subscriptionWeight(filter);
            }
            holders += s.inflight().isEmpty() && s.queue().isEmpty() ? 0 : 1;
            kept += s.endsWithConnection() ? 0 : 1;
            sessionBytes += s.clientId().length() + (s.will() == null ? 0 : s.will().weight());
            for (InflightMessage m : s.inflight()) {
                messages++;
                bytes += m.publish().weight();
            }
            for (QueuedMessage m : s.queue().toList()) {
                messages++;
                bytes += m.publish().weight();
            }
        }
        assertEquals(new Holdings(kept, sessionBytes, messages, bytes, holders, subscriptionBytes,
                        state.holdings().droppedForBudget()),
                state.holdings(), "holdings kept step by step");
    }

    /**
     * The version a connection speaks is stated when its CONNECT is answered (or, for an
     * enhanced authentication exchange, when it starts), and never changed.
     */
    private void stateVersion(ConnectionId c, ProtocolVersion version) {
        ProtocolVersion before = versions.putIfAbsent(c, version);
        if (version == null || before != null && before != version) {
            fail("version of " + c + " stated as " + version + " after " + before);
        }
    }

    /** The version the core said {@code c} speaks; null before its CONNECT was answered. */
    public ProtocolVersion version(ConnectionId c) {
        return versions.get(c);
    }

    public void run(Step step) {
        state = step.state();
        checkHoldings();
        for (Effect e : step.effects()) {
            allEffects.add(e);
            if (e instanceof Effect.Send s) {
                if (isClosed(s.connection())) {
                    fail("sent " + s.packet() + " on closed " + s.connection());
                }
                if (!versions.containsKey(s.connection())) {
                    fail("sent " + s.packet() + " on " + s.connection() + " before its version was stated");
                }
                inbox.get(s.connection()).add(s.packet());
            } else if (e instanceof Effect.Attached a) {
                stateVersion(a.connection(), a.version());
            } else if (e instanceof Effect.Refused r) {
                stateVersion(r.connection(), r.version());
            } else if (e instanceof Effect.Authenticating a) {
                stateVersion(a.connection(), a.version());
            } else if (e instanceof Effect.Close cl) {
                closed.put(cl.connection(), cl.reason());
            } else {
                clock.track(e);
            }
        }
    }
}
