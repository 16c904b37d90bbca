package io.checkedmqtt.core.broker;

import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.TestedCore;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.config.ProbeSpec;
import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.conformance.ClientReport;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.util.ArrayList;
import java.util.List;

/** A {@link BrokerHarness} whose core watches the clients named {@code dev-*}, with helpers to read what it found. */
final class WatchFixture {

    static final long WINDOW = 2_000;

    final BrokerHarness h;
    final ProtocolVersion version;

    WatchFixture(ProtocolVersion version, BrokerConfig config, ProbeSpec... probes) {
        this.version = version;
        this.h = new BrokerHarness(TestedCore.of(config, new WatchConfig(ClientPatterns.of("dev-*"), ClientPatterns.NONE,
                List.of(probes), WINDOW)));
    }

    WatchFixture(ProtocolVersion version, ProbeSpec... probes) {
        this(version, BrokerConfig.defaults(), probes);
    }

    static ProbeSpec probe(ProbeKind kind) {
        return new ProbeSpec(kind, "dev-", 3_000, 1);
    }

    /** A CONNECT that keeps the session (3.1.1 CleanSession 0; 5.0 Clean Start 0 and an expiry). */
    Connect kept(String clientId) {
        return version.isV5() ? Packets.connect5(clientId, false, 600) : Packets.connect(version, clientId, false);
    }

    /** Opens a connection and connects {@code clientId} with a kept session; the CONNACK is read. */
    ConnectionId connectKept(String clientId) {
        ConnectionId c = h.open();
        h.in(c, kept(clientId));
        h.out(c);
        return c;
    }

    Publish publish(String topic, String payload, int qos, int id, boolean dup) {
        return new Publish(topic, Packets.bytes(payload), QoS.of(qos), false, dup, id, Properties.EMPTY);
    }

    ClientReport report(String clientId) {
        return h.state().watch().report(clientId);
    }

    /** The statements of the client's breaches, in order, as cited: {@code v5 [MQTT-4.4.0-1]}. */
    List<String> breaches(String clientId) {
        List<String> cited = new ArrayList<>();
        for (Note.Breach b : report(clientId).breachList()) {
            cited.add(b.citation());
        }
        return cited;
    }

    List<Note.Verdict> verdicts(String clientId) {
        return report(clientId).verdicts();
    }

    /** The notes the core emitted for the client, in order. */
    List<Note> notes(String clientId) {
        List<Note> notes = new ArrayList<>();
        for (Effect e : h.allEffects()) {
            if (e instanceof Effect.Noted n && n.clientId().equals(clientId)) {
                notes.add(n.note());
            }
        }
        return notes;
    }

    List<Note.Decision> decisions(String clientId) {
        List<Note.Decision> decisions = new ArrayList<>();
        for (Note n : notes(clientId)) {
            if (n instanceof Note.Decision d) {
                decisions.add(d);
            }
        }
        return decisions;
    }

    /** {@code v5 [MQTT-x]} or {@code v3.1.1 [MQTT-x]} for this fixture's version. */
    String cite(String statement) {
        return (version.isV5() ? "v5" : "v3.1.1") + " [" + statement + "]";
    }
}
