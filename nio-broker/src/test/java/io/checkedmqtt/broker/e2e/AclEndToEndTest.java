package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ConfigFile;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Will;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Mosquitto ACL file end to end, over sockets, for 3.1.1 and 5.0: each case is a user (or an
 * anonymous client) trying to write or read a topic, with what the client sees.
 * <ul>
 *   <li>write: the client publishes QoS 1; an observer allowed to read everything sees it or
 *       not; 5.0 PUBACK says 0x87 when refused, 3.1.1 PUBACK says nothing [v3.1.1 MQTT-3.3.5-2];</li>
 *   <li>read: the client subscribes to the topic (granted, or SUBACK 0x87 / 3.1.1 0x80) and an
 *       admin publishes to it; the client receives it or not.</li>
 * </ul>
 */
class AclEndToEndTest {

    static final String ACL = """
            # anonymous clients
            topic read public/#
            user alice
            topic readwrite alice/#
            topic deny alice/secret
            topic write sensors/alice/#
            user bob
            topic read alice/news
            topic read sensors/#
            user admin
            topic readwrite #
            pattern readwrite devices/%c/#
            pattern read inbox/%u
            """;

    @TempDir
    static Path dir;
    static TestBroker broker;
    static RawClient observer;

    @BeforeAll
    static void start() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, ACL);
        BrokerSettings fromFile = ConfigFile.parse("acl_file " + acl + "\nallow_anonymous true\n", BrokerSettings.defaults());
        broker = new TestBroker(b -> b.auth(fromFile.auth()));
        observer = client(ProtocolVersion.MQTT_5, "observer", "admin");
        subscribe(observer, "#");
    }

    @AfterAll
    static void stop() throws Exception {
        observer.close();
        broker.close();
    }

    static RawClient client(ProtocolVersion v, String clientId, String user) throws Exception {
        return clientOn(broker, v, clientId, user);
    }

    /** A client connected to {@code on} as {@code user} (null: anonymous). */
    static RawClient clientOn(TestBroker on, ProtocolVersion v, String clientId, String user) throws Exception {
        RawClient raw = new RawClient(on.broker.port());
        raw.send(new Connect(v, clientId, true, 0, user, null, null, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, ((Connack) raw.receive()).reasonCode());
        return raw;
    }

    static ReasonCode subscribe(RawClient raw, String filter) throws Exception {
        raw.send(new Subscribe(1, List.of(new Subscription(filter, SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                Properties.EMPTY));
        return ((SubAck) raw.receive()).reasonCodes().get(0);
    }

    static Publish publish(String topic, String payload, boolean retain) {
        return new Publish(topic, payload.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, retain, false, 9,
                Properties.EMPTY);
    }

    /** The payloads of the PUBLISHes {@code raw} gets within {@code millis} (acknowledging each). */
    static List<String> received(RawClient raw, int millis) throws Exception {
        List<String> out = new ArrayList<>();
        Packet p;
        while ((p = raw.poll(millis)) != null) {
            if (p instanceof Publish pub) {
                out.add(pub.topic() + "=" + new String(pub.payload(), StandardCharsets.UTF_8));
                if (pub.qos() == QoS.AT_LEAST_ONCE) {
                    raw.send(new PubAck(pub.packetId()));
                }
            }
        }
        return out;
    }

    static Stream<Arguments> cases() {
        String[][] table = {
                // name, user ('-' anonymous), client id, read/write, topic, allowed
                {"alice writes her own topic", "alice", "a1", "write", "alice/x", "yes"},
                {"alice may not write her denied topic", "alice", "a1", "write", "alice/secret", "no"},
                {"alice writes a write-only topic", "alice", "a1", "write", "sensors/alice/t", "yes"},
                {"alice may not read a write-only topic", "alice", "a1", "read", "sensors/alice/t", "no"},
                {"alice may not write the anonymous section's topic", "alice", "a1", "write", "public/x", "no"},
                {"bob reads alice's news", "bob", "b1", "read", "alice/news", "yes"},
                {"bob may not write alice's news", "bob", "b1", "write", "alice/news", "no"},
                {"bob may not read alice's other topics", "bob", "b1", "read", "alice/x", "no"},
                {"anonymous reads public", "-", "anon1", "read", "public/x", "yes"},
                {"anonymous may not write public", "-", "anon1", "write", "public/x", "no"},
                {"%c: a client writes under its own id", "carol", "dev7", "write", "devices/dev7/temp", "yes"},
                {"%c: not under another id", "carol", "dev7", "write", "devices/dev8/temp", "no"},
                {"%u: carol reads her inbox", "carol", "c1", "read", "inbox/carol", "yes"},
                {"%u: not dave's", "carol", "c1", "read", "inbox/dave", "no"},
                {"%u: anonymous has no inbox", "-", "anon2", "read", "inbox/-", "no"},
        };
        List<Arguments> out = new ArrayList<>();
        for (ProtocolVersion v : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
            for (String[] row : table) {
                out.add(Arguments.of((v.isV5() ? "5.0: " : "3.1.1: ") + row[0], v, row[1], row[2], row[3], row[4],
                        row[5].equals("yes")));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("v3.1.1 [MQTT-3.3.5-2] [MQTT-3.9.3-2] v5 [MQTT-3.9.3-1] ACL table: user x topic x read/write/deny")
    void table(String name, ProtocolVersion v, String user, String clientId, String access, String topic,
               boolean allowed) throws Exception {
        String who = user.equals("-") ? null : user;
        try (RawClient tester = client(v, clientId, who)) {
            received(observer, 50);
            if (access.equals("write")) {
                tester.send(publish(topic, name, false));
                PubAck ack = (PubAck) tester.receive();
                ReasonCode expected = allowed || !v.isV5() ? ReasonCode.SUCCESS : ReasonCode.NOT_AUTHORIZED;
                assertEquals(expected, ack.reasonCode());
                assertEquals(allowed ? List.of(topic + "=" + name) : List.of(), received(observer, 300));
            } else {
                ReasonCode granted = subscribe(tester, topic);
                ReasonCode refused = v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR;
                assertEquals(allowed ? ReasonCode.GRANTED_QOS_1 : refused, granted);
                observer.send(publish(topic, name, false));
                assertEquals(allowed ? List.of(topic + "=" + name) : List.of(), received(tester, 300));
            }
        }
    }

    @Test
    @DisplayName("a granted filter that covers a denied topic: neither live nor retained messages on it arrive")
    void retainedAndPartlyDenied() throws Exception {
        received(observer, 50);
        observer.send(publish("alice/secret", "retained-secret", true));
        observer.send(publish("alice/open", "retained-open", true));
        received(observer, 200);
        try (RawClient alice = client(ProtocolVersion.MQTT_5, "alice-retained", "alice")) {
            assertEquals(ReasonCode.GRANTED_QOS_1, subscribe(alice, "alice/#"));
            assertEquals(List.of("alice/open=retained-open"), received(alice, 300));
            observer.send(publish("alice/secret", "live-secret", false));
            observer.send(publish("alice/news", "live-news", false));
            assertEquals(List.of("alice/news=live-news"), received(alice, 300));
        }
        observer.send(publish("alice/secret", "", true));
        observer.send(publish("alice/open", "", true));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-8] v5 [MQTT-3.1.2-8] wills are checked when they are published: bob's will to alice/news is not, alice's is")
    void wills() throws Exception {
        received(observer, 50);
        for (String user : List.of("bob", "alice")) {
            RawClient dying = new RawClient(broker.broker.port());
            Will will = new Will("alice/news", ("will of " + user).getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE,
                    false, Properties.EMPTY);
            dying.send(new Connect(ProtocolVersion.MQTT_3_1_1, "will-" + user, true, 0, user, null, will, Properties.EMPTY));
            assertEquals(ReasonCode.SUCCESS, ((Connack) dying.receive()).reasonCode());
            dying.socket.close(); // no DISCONNECT: the will goes out, if the ACL lets it
        }
        assertEquals(List.of("alice/news=will of alice"), received(observer, 500));
    }

    @Test
    @DisplayName("v5 shared subscriptions are judged by the filter they share; a message the member may not read does not reach the group")
    void sharedSubscriptions() throws Exception {
        try (RawClient bob = client(ProtocolVersion.MQTT_5, "bob-shared", "bob")) {
            assertEquals(ReasonCode.GRANTED_QOS_1, subscribe(bob, "$share/g/sensors/#"));
            assertEquals(ReasonCode.NOT_AUTHORIZED, subscribe(bob, "$share/g/alice/x"));
            observer.send(publish("sensors/t1", "reading", false));
            assertEquals(List.of("sensors/t1=reading"), received(bob, 300));
        }
        try (RawClient bob = client(ProtocolVersion.MQTT_5, "bob-shared-2", "bob")) {
            assertEquals(ReasonCode.GRANTED_QOS_1, subscribe(bob, "$share/h/alice/news"));
            observer.send(publish("alice/news", "for the group", false));
            assertEquals(List.of("alice/news=for the group"), received(bob, 300));
        }
    }
}
