package io.checkedmqtt.broker;

import io.checkedmqtt.broker.e2e.RawClient;
import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that come from no client (the HTTP API's two actions, the broker's {@code $SYS}
 * publications) are contained like a client's packet when the core fails on them: the API says the
 * action failed, nobody is closed, MQTT traffic goes on, and the report replays.
 */
class BrokerInputFailureTest {

    @TempDir
    Path reports;

    private MqttBroker broker;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start(FaultyCore core, int sysInterval) throws IOException {
        BrokerSettings settings = BrokerSettings.builder().port(0).coreFailureDir(reports)
                .http(HttpSettings.on(0)).sysIntervalSeconds(sysInterval).build();
        broker = MqttBroker.start(settings, Clock.system(), core, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.port("http") + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private RawClient client(String id) throws IOException {
        RawClient c = new RawClient(broker.port());
        c.send(new Connect(ProtocolVersion.MQTT_5, id, true, 0, null, null, null, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, ((Connack) c.receive()).reasonCode());
        return c;
    }

    /** A QoS 0 message from {@code pub} reaches {@code sub}: both still served. */
    private static void stillServed(RawClient pub, RawClient sub, String text) throws IOException {
        pub.send(new Publish("calm", text.getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY));
        Publish got = assertInstanceOf(Publish.class, sub.receive());
        assertEquals(text, new String(got.payload(), StandardCharsets.UTF_8));
    }

    private List<CoreFailureReplay> replays() throws IOException {
        try (Stream<Path> files = Files.list(reports)) {
            return files.sorted().map(f -> {
                try {
                    return CoreFailureReplay.load(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    @DisplayName("the core fails on an administrator's disconnect and retained delete: 500 from the API, the client stays connected, one report each that replays")
    void administratorInputsAreContained() throws Exception {
        FaultyCore core = new FaultyCore(BrokerConfig.defaults(), p -> false);
        start(core, 0);
        RawClient sub = client("sub");
        sub.subscribe(1, "calm", QoS.AT_MOST_ONCE);
        RawClient pub = client("pub");
        pub.send(new Publish("kept/one", new byte[] {1}, QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY));
        stillServed(pub, sub, "before");
        core.failingBrokerInputs();

        HttpResponse<String> disconnect = send("POST", "/api/v1/clients/sub/disconnect");
        assertEquals(500, disconnect.statusCode(), disconnect.body());
        assertTrue(disconnect.body().contains("\"disconnected\":false"), disconnect.body());
        HttpResponse<String> delete = send("DELETE", "/api/v1/retained?topic=kept/one");
        assertEquals(500, delete.statusCode(), delete.body());
        stillServed(pub, sub, "after");
        assertEquals(2, broker.stats().coreFailures());
        assertEquals(200, send("GET", "/api/v1/retained?filter=kept/%23").statusCode());

        List<CoreFailureReplay> replays = replays();
        assertEquals(2, replays.size());
        for (CoreFailureReplay replay : replays) {
            Throwable again = replay.replay(new FaultyCore(replay.config(), p -> false).failingBrokerInputs());
            assertEquals(replay.failure(), String.valueOf(again), "the same input, the same failure");
            assertNull(replay.replay(new BrokerCore(replay.config())), "the real core takes the same input");
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("core failed on administrator-disconnect")
                && logged.contains("core failed on administrator-delete-retained"), logged);
    }

    @Test
    @DisplayName("the core fails on every $SYS publication: the broker goes on serving, counts each, and a report replays the publication")
    void sysPublicationsAreContained() throws Exception {
        start(new FaultyCore(BrokerConfig.defaults(), p -> false).failingBrokerInputs(), 1);
        RawClient sub = client("sub");
        sub.subscribe(1, "calm", QoS.AT_MOST_ONCE);
        stillServed(client("pub"), sub, "served");
        assertTrue(broker.stats().coreFailures() > 0, "the first publications at start failed");
        CoreFailureReplay replay = replays().get(0);
        Throwable again = replay.replay(new FaultyCore(replay.config(), p -> false).failingBrokerInputs());
        assertEquals(replay.failure(), String.valueOf(again));
        assertTrue(replay.failure().contains("publishFromBroker $SYS/broker/"), replay.failure());
        assertNull(replay.replay(new BrokerCore(replay.config())));
    }
}
