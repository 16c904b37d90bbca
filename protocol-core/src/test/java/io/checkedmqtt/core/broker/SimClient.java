package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A well-behaved subscribing client for tests: it answers every PUBLISH as its QoS requires,
 * completes QoS 2 with its own "method B" state (which it keeps across connections when its
 * session is kept [v3.1.1 MQTT-3.1.2-4]), and counts what its application received, by payload.
 */
final class SimClient {

    final String clientId;
    final ProtocolVersion version;
    final boolean clean;
    ConnectionId connection;
    private final Set<Integer> awaitingPubRel = new HashSet<>();
    final Map<String, Integer> received = new HashMap<>();
    private final Deque<Packet> unread = new ArrayDeque<>();
    boolean sessionPresent;
    /** 5.0 Receive Maximum sent in CONNECT; 0: none (65,535). */
    final int receiveMaximum;

    SimClient(String clientId, ProtocolVersion version, boolean clean) {
        this(clientId, version, clean, 0);
    }

    SimClient(String clientId, ProtocolVersion version, boolean clean, int receiveMaximum) {
        this.clientId = clientId;
        this.version = version;
        this.clean = clean;
        this.receiveMaximum = receiveMaximum;
    }

    Connect connectPacket() {
        if (!version.isV5()) {
            return Packets.connect(version, clientId, clean);
        }
        Connect c = Packets.connect5(clientId, clean, clean ? 0 : 600);
        return receiveMaximum == 0 ? c
                : Packets.withProperty(c, io.checkedmqtt.core.packet.PropertyId.RECEIVE_MAXIMUM, receiveMaximum);
    }

    boolean online() {
        return connection != null;
    }

    void connect(BrokerHarness h) {
        if (clean) {
            awaitingPubRel.clear(); // a clean client session starts empty as well
        }
        connection = h.open();
        unread.clear();
        h.in(connection, connectPacket());
        fetch(h);
        Packet first = unread.poll();
        assertTrue(first instanceof Connack c && !c.reasonCode().isError(), "CONNACK expected: " + first);
        sessionPresent = ((Connack) first).sessionPresent();
    }

    /** Move what the server sent into the unread queue. */
    void fetch(BrokerHarness h) {
        if (connection != null) {
            unread.addAll(h.out(connection));
        }
    }

    int unreadCount() {
        return unread.size();
    }

    /** Read and answer one packet; false when nothing is waiting. */
    boolean step(BrokerHarness h, boolean loseAnswer) {
        fetch(h);
        Packet p = unread.poll();
        if (p == null) {
            return false;
        }
        Packet answer = handle(p);
        if (answer != null && !loseAnswer && !h.isClosed(connection)) {
            h.in(connection, answer);
        }
        return true;
    }

    /** Read and answer everything until the server has nothing more to say. */
    void drain(BrokerHarness h) {
        while (online() && !h.isClosed(connection) && step(h, false)) {
            // keep going
        }
    }

    void lose(BrokerHarness h) {
        if (connection != null && !h.isClosed(connection)) {
            h.lose(connection);
        }
        connection = null;
        unread.clear();
    }

    void disconnect(BrokerHarness h) {
        h.in(connection, io.checkedmqtt.core.packet.Disconnect.NORMAL);
        connection = null;
        unread.clear();
    }

    private Packet handle(Packet p) {
        if (p instanceof Publish pub) {
            switch (pub.qos()) {
                case AT_MOST_ONCE -> {
                    assertFalse(pub.dup(), "QoS 0 with DUP");
                    deliverToApp(pub);
                    return null;
                }
                case AT_LEAST_ONCE -> {
                    deliverToApp(pub);
                    return new PubAck(pub.packetId());
                }
                default -> {
                    if (awaitingPubRel.add(pub.packetId())) {
                        deliverToApp(pub);
                    }
                    return new PubRec(pub.packetId());
                }
            }
        }
        if (p instanceof PubRel rel) {
            awaitingPubRel.remove(rel.packetId());
            return new PubComp(rel.packetId());
        }
        return null;
    }

    private void deliverToApp(Publish pub) {
        received.merge(Packets.text(pub), 1, Integer::sum);
    }

    int count(String payload) {
        return received.getOrDefault(payload, 0);
    }

    static QoS qos(int i) {
        return QoS.of(i);
    }

    static List<ProtocolVersion> versions() {
        return List.of(Packets.V3, Packets.V5);
    }
}
