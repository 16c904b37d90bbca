package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.clienttest.ClientTestSettings;
import io.checkedmqtt.broker.hostile.Bystander;
import io.checkedmqtt.broker.clienttest.FaultRule;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.config.ProbeSpec;
import io.checkedmqtt.core.conformance.ClientReport;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deliberately broken client over a raw socket for each breach the conformance report knows,
 * in both versions: the report names the statement it broke, and nothing else, and a bystander of
 * the hostile-client suite ({@link Bystander}, watched too) still gets its messages through with
 * an empty report. A client that does everything right, through a cut and its resends, gets an
 * empty report.
 */
class BrokenClientsReportTest {

    /** What one broken (or correct) client does, given a way to open connections and its id. */
    interface Behaviour {
        void run(Session s) throws Exception;
    }

    /** Connections of one client identifier to the test broker. */
    final class Session {
        final ProtocolVersion version;
        final String clientId;

        Session(ProtocolVersion version, String clientId) {
            this.version = version;
            this.clientId = clientId;
        }

        /** A connection with a kept session (3.1.1 CleanSession 0; 5.0 Clean Start 0, expiry 300 s). */
        RawClient kept() throws Exception {
            return open(false, 0);
        }

        RawClient open(boolean clean, int keepAlive) throws Exception {
            RawClient c = broker.track(new RawClient(broker.broker.port()));
            Properties props = version.isV5() && !clean
                    ? Properties.EMPTY.withInteger(PropertyId.SESSION_EXPIRY_INTERVAL, 300) : Properties.EMPTY;
            c.send(new Connect(version, clientId, clean, keepAlive, null, null, null, props));
            assertTrue(c.receive() instanceof Connack);
            return c;
        }

        /** A second client, clean, that publishes one message. */
        void publishFromOther(String topic, int qos) throws Exception {
            RawClient other = broker.track(new RawClient(broker.broker.port()));
            other.handshake(version, clientId + "-publisher");
            other.send(publish(topic, "from another client", qos, 1, false));
            if (qos == 1) {
                other.receive();
            } else if (qos == 2) {
                other.receive();
                other.send(new PubRel(1));
                other.receive();
            }
        }
    }

    static Subscribe subscribe(int id, String filter) {
        return new Subscribe(id, List.of(new Subscription(filter, SubscriptionOptions.of(QoS.AT_MOST_ONCE))),
                Properties.EMPTY);
    }

    static Publish publish(String topic, String payload, int qos, int id, boolean dup) {
        return new Publish(topic, payload.getBytes(StandardCharsets.UTF_8), QoS.of(qos), false, dup, id,
                Properties.EMPTY);
    }

    /**
     * The resend window and the probes' timeout: how long a client has to resend or answer. Long
     * enough for a correct client in a test JVM starved by a loaded machine (500 ms was not).
     */
    private static final int WINDOW = 2_000;
    /** The broker's 5.0 Receive Maximum here: small, so that a client can exceed it. */
    private static final int RECEIVE_MAXIMUM = 20;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        ClientTestSettings testing = new ClientTestSettings(ClientPatterns.of("*"), null, 1 << 20, 1_000,
                ClientPatterns.NONE, List.of(FaultRule.parse("drop PUBREC out drop-pubrec-*"),
                FaultRule.parse("drop PUBCOMP out drop-pubcomp-*"), FaultRule.parse("drop SUBACK out drop-suback-*")),
                0,
                List.of(new ProbeSpec(ProbeKind.OFFLINE_QUEUE, "offline-", WINDOW, 1),
                        new ProbeSpec(ProbeKind.QOS2_RECEIVE_CUT, "receive-cut-", WINDOW, 1)), WINDOW);
        broker = new TestBroker(settings -> settings.clientTesting(testing)
                .core(BrokerConfig.builder().receiveMaximum(RECEIVE_MAXIMUM).build()));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    static Stream<Arguments> brokenClients() {
        List<Arguments> all = new ArrayList<>();
        for (ProtocolVersion v : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
            boolean v5 = v.isV5();
            all.add(Arguments.of(v, "a new QoS 2 PUBLISH under an identifier awaiting PUBREL", "id-reuse",
                    List.of(v5 ? "MQTT-2.2.1-3" : "MQTT-2.3.1-2"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.send(publish("t", "first", 2, 5, false));
                        c.receive();
                        c.send(publish("t", "second", 2, 5, false));
                        c.receive();
                    }));
            all.add(Arguments.of(v, "the same QoS 2 PUBLISH again with DUP 0", "no-dup",
                    v5 ? List.of("MQTT-3.3.1-1", "MQTT-4.4.0-1") : List.of("MQTT-3.3.1-1"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.send(publish("t", "m", 2, 5, false));
                        c.receive();
                        c.send(publish("t", "m", 2, 5, false));
                        c.receive();
                    }));
            if (v5) {
                all.add(Arguments.of(v, "a resend with DUP 1 on the same connection", "resend-inside",
                        List.of("MQTT-4.4.0-1"), (Behaviour) s -> {
                            RawClient c = s.open(true, 0);
                            c.send(publish("t", "m", 2, 5, false));
                            c.receive();
                            c.send(publish("t", "m", 2, 5, true));
                            c.receive();
                        }));
            }
            all.add(Arguments.of(v, "after a cut, the message sent again under a new identifier", "drop-pubrec-new-id",
                    List.of(v5 ? "MQTT-4.4.0-1" : "MQTT-2.3.1-3"), (Behaviour) s -> {
                        RawClient c = s.kept();
                        c.send(publish("t", "m", 2, 5, false));   // its PUBREC is dropped by the fault rule
                        c.close();
                        RawClient again = s.kept();
                        again.send(publish("t", "m", 2, 6, true));
                        again.poll(300);
                    }));
            all.add(Arguments.of(v, "after a cut, the QoS 2 flow in flight neither resent nor released", "not-resent",
                    List.of("MQTT-4.4.0-1"), (Behaviour) s -> {
                        RawClient c = s.kept();
                        c.send(publish("t", "m", 2, 5, false));
                        c.receive();
                        c.close();
                        RawClient again = s.kept();
                        again.poll(WINDOW + 400);   // past the window
                    }));
            all.add(Arguments.of(v, "the QoS 2 PUBLISH again after its PUBREL (the PUBCOMP was dropped)",
                    "drop-pubcomp-after-pubrel", List.of(v5 ? "MQTT-4.3.3-6" : "MQTT-4.3.3-1"), (Behaviour) s -> {
                        RawClient c = s.kept();
                        c.send(publish("t", "m", 2, 5, false));
                        c.receive();
                        c.send(new PubRel(5));   // its PUBCOMP is dropped by the fault rule
                        c.close();
                        RawClient again = s.kept();
                        again.send(publish("t", "m", 2, 5, true));
                        again.poll(300);
                    }));
            all.add(Arguments.of(v, "a second SUBSCRIBE under the identifier of one whose SUBACK it has not had",
                    "drop-suback-reuse", List.of(v5 ? "MQTT-2.2.1-3" : "MQTT-2.3.1-2"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.send(subscribe(4, "a"));   // its SUBACK is dropped by the fault rule
                        c.send(subscribe(4, "b"));
                        c.send(PingReq.INSTANCE);
                        assertTrue(c.receive() instanceof PingResp);
                    }));
            if (v5) {
                all.add(Arguments.of(v, "PUBREL again on the connection it first came on (its PUBCOMP was dropped)",
                        "drop-pubcomp-pubrel-again", List.of("MQTT-4.4.0-1"), (Behaviour) s -> {
                            RawClient c = s.open(true, 0);
                            c.send(publish("t", "m", 2, 5, false));
                            c.receive();
                            c.send(new PubRel(5));   // its PUBCOMP is dropped by the fault rule
                            c.send(new PubRel(5));
                            c.send(PingReq.INSTANCE);
                            assertTrue(c.receive() instanceof PingResp);
                        }));
            }
            all.add(Arguments.of(v, "PUBREL before the PUBREC reached the client", "drop-pubrec-early-pubrel",
                    List.of(v5 ? "MQTT-4.3.3-3" : "MQTT-4.3.3-1"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.send(publish("t", "m", 2, 5, false));   // its PUBREC is dropped by the fault rule
                        c.send(new PubRel(5));
                        c.receive();
                    }));
            all.add(Arguments.of(v, "PUBREL for an identifier no PUBLISH had", "pubrel-nothing",
                    List.of(v5 ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.send(new PubRel(9));
                        c.receive();
                    }));
            all.add(Arguments.of(v, "PUBACK for an identifier the broker sent nothing with", "puback-nothing",
                    List.of(v5 ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.send(new PubAck(77));
                        c.send(PingReq.INSTANCE);
                        assertTrue(c.receive() instanceof PingResp);
                    }));
            all.add(Arguments.of(v, "PUBCOMP for an identifier the broker sent no PUBREL with", "pubcomp-nothing",
                    List.of(v5 ? "MQTT-4.3.3-11" : "MQTT-4.3.3-2"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.send(new PubComp(78));
                        c.send(PingReq.INSTANCE);
                        assertTrue(c.receive() instanceof PingResp);
                    }));
            all.add(Arguments.of(v, "PUBACK for a QoS 2 PUBLISH", "puback-qos2",
                    List.of(v5 ? "MQTT-4.3.3-8" : "MQTT-4.3.3-2"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.subscribe(1, "q2", QoS.EXACTLY_ONCE);
                        s.publishFromOther("q2", 2);
                        Publish p = (Publish) c.receive();
                        c.send(new PubAck(p.packetId()));
                        c.send(PingReq.INSTANCE);
                        assertTrue(c.receive() instanceof PingResp);
                    }));
            all.add(Arguments.of(v, "PUBREC for a QoS 1 PUBLISH", "pubrec-qos1",
                    List.of(v5 ? "MQTT-4.3.2-4" : "MQTT-4.3.2-2"), (Behaviour) s -> {
                        RawClient c = s.open(true, 0);
                        c.subscribe(1, "q1", QoS.AT_LEAST_ONCE);
                        s.publishFromOther("q1", 1);
                        Publish p = (Publish) c.receive();
                        c.send(new PubRec(p.packetId()));
                        c.poll(300);
                    }));
            all.add(Arguments.of(v, "more than Keep Alive between two packets, then silent for 1.5 x Keep Alive",
                    "keep-alive", List.of(v5 ? "MQTT-3.1.2-20" : "MQTT-3.1.2-23", v5 ? "MQTT-3.1.2-20"
                            : "MQTT-3.1.2-23"), (Behaviour) s -> {
                        RawClient c = s.open(true, 1);
                        Thread.sleep(1_350);
                        c.send(PingReq.INSTANCE);
                        assertTrue(c.receive() instanceof PingResp);
                        c.awaitClose(5_000);
                    }));
            all.add(Arguments.of(v, "the message probe.offline-queue queued is never acknowledged", "offline-",
                    List.of("MQTT-4.5.0-2"), (Behaviour) s -> {
                        RawClient c = s.kept();
                        c.subscribe(1, "o/+", QoS.AT_LEAST_ONCE);   // cut after the SUBACK
                        c.awaitClose(5_000);
                        RawClient again = s.kept();
                        assertTrue(again.receive() instanceof Publish, "the queued message");
                        again.poll(WINDOW + 400);
                    }));
            all.add(Arguments.of(v, "the PUBREL sent again after probe.qos2-receive-cut is not answered",
                    "receive-cut-silent", List.of(v5 ? "MQTT-4.3.3-11" : "MQTT-4.3.3-2"), (Behaviour) s -> {
                        RawClient c = s.kept();
                        c.subscribe(1, "rc", QoS.EXACTLY_ONCE);
                        s.publishFromOther("rc", 2);
                        Publish p = (Publish) c.receive();
                        c.send(new PubRec(p.packetId()));   // cut after it
                        c.awaitClose(5_000);
                        RawClient again = s.kept();
                        assertTrue(again.receive() instanceof PubRel);
                        again.poll(WINDOW + 400);
                    }));
            if (v5) {
                all.add(Arguments.of(v, "PUBCOMP 0x92 for the PUBREL of a message it PUBREC'd: it forgot the identifier",
                        "receive-cut-forgot", List.of("MQTT-4.3.3-10"), (Behaviour) s -> {
                            RawClient c = s.kept();
                            c.subscribe(1, "rc", QoS.EXACTLY_ONCE);
                            s.publishFromOther("rc", 2);
                            Publish p = (Publish) c.receive();
                            c.send(new PubRec(p.packetId()));
                            c.awaitClose(5_000);
                            RawClient again = s.kept();
                            PubRel rel = (PubRel) again.receive();
                            again.send(new PubComp(rel.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                                    Properties.EMPTY));
                            again.poll(300);
                        }));
                all.add(Arguments.of(v, "more QoS 2 PUBLISH unacknowledged than the broker's Receive Maximum",
                        "receive-maximum", List.of("MQTT-3.3.4-7"), (Behaviour) s -> {
                            RawClient c = s.open(true, 0);
                            for (int id = 1; id <= RECEIVE_MAXIMUM + 1; id++) {
                                c.send(publish("t", "m" + id, 2, id, false));   // never a PUBREL
                            }
                            c.awaitClose(5_000);
                        }));
            }
            all.add(Arguments.of(v, "a PUBLISH with QoS 3", "qos3", List.of("MQTT-3.3.1-4"), (Behaviour) s -> {
                RawClient c = s.open(true, 0);
                c.write(new byte[] {0x36, 0x03, 0x00, 0x01, 't'});
                c.awaitClose(5_000);
            }));
            all.add(Arguments.of(v, "a second CONNECT", "second-connect", List.of("MQTT-3.1.0-2"), (Behaviour) s -> {
                RawClient c = s.open(true, 0);
                c.send(new Connect(v, s.clientId, true, 0, null, null, null, Properties.EMPTY));
                c.awaitClose(5_000);
            }));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("brokenClients")
    @DisplayName("a broken client's report names the statement it broke, and nothing else")
    void brokenClient(ProtocolVersion v, String what, String prefix, List<String> statements, Behaviour behaviour)
            throws Exception {
        Session s = new Session(v, prefix + "-" + (v.isV5() ? "v5" : "v3"));
        try (Bystander bystander = Bystander.connect(broker.broker.port(), s.clientId)) {
            behaviour.run(s);
            List<String> found = awaitBreaches(s.clientId, statements.size());
            assertEquals(statements, found, what + ": "
                    + String.join("\n", broker.broker.clientTesting().trace(s.clientId)));
            bystander.roundTripMillis();   // the broken client harmed nobody else
            for (String other : List.of("bystander-sub-" + s.clientId, "bystander-pub-" + s.clientId)) {
                assertTrue(broker.broker.clientTesting().report(other).isEmpty(), other + " is reported: "
                        + broker.broker.clientTesting().report(other).summary());
            }
        }
    }

    private List<String> awaitBreaches(String clientId, int count) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        List<String> found = statements(broker.broker.clientTesting().report(clientId));
        while (found.size() < count && System.nanoTime() < end) {
            Thread.sleep(20);
            found = statements(broker.broker.clientTesting().report(clientId));
        }
        Thread.sleep(100);   // a breach more would show now
        return statements(broker.broker.clientTesting().report(clientId));
    }

    private static List<String> statements(ClientReport report) {
        return report.breachList().stream().map(Note.Breach::statement).toList();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("a correct client gets an empty report: QoS 1 and 2 both ways, a cut mid-handshake, resends with DUP 1 and PUBREL after the session resumes, pings within Keep Alive, DISCONNECT")
    void correctClient(ProtocolVersion v) throws Exception {
        Session s = new Session(v, "correct-" + (v.isV5() ? "v5" : "v3"));
        RawClient c = s.kept();
        c.subscribe(1, "in/#", QoS.EXACTLY_ONCE);
        c.send(publish("out", "a", 1, 1, false));
        assertTrue(c.receive() instanceof PubAck);
        c.send(publish("out", "b", 2, 2, false));
        assertTrue(c.receive() instanceof PubRec);
        c.send(publish("out", "c", 2, 3, false));
        assertTrue(c.receive() instanceof PubRec);
        c.send(new PubRel(2));
        assertTrue(c.receive() instanceof PubComp);
        s.publishFromOther("in/x", 2);
        Publish in = (Publish) c.receive();
        c.close();   // cut: PUBREL 3 not sent, the broker's QoS 2 PUBLISH not PUBREC'd
        RawClient again = s.kept();
        Packet resent = again.receive();
        assertTrue(resent instanceof Publish p && p.dup() && p.packetId() == in.packetId(), resent.toString());
        again.send(new PubRel(3));
        assertTrue(again.receive() instanceof PubComp);
        again.send(new PubRec(in.packetId()));
        assertTrue(again.receive() instanceof PubRel);
        again.send(new PubComp(in.packetId()));
        again.send(PingReq.INSTANCE);
        assertTrue(again.receive() instanceof PingResp);
        again.send(io.checkedmqtt.core.packet.Disconnect.NORMAL);
        again.awaitClose(5_000);
        Thread.sleep(WINDOW + 200);   // past the resend window: nothing owed is left
        ClientReport report = broker.broker.clientTesting().report(s.clientId);
        assertTrue(report.isEmpty(), report.summary() + "\n" + String.join("\n",
                broker.broker.clientTesting().trace(s.clientId)));
    }
}
