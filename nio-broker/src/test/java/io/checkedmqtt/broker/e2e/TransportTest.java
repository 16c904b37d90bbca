package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The broker's transport: MQTT over TCP, the ordered, lossless, two-way byte stream both specs ask for. */
class TransportTest {

    private static final int MESSAGES = 300;

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-7.1.1-1] v5 [MQTT-4.2-1] over TCP, in both directions, packets arrive complete and in order, however the bytes are cut")
    void orderedLosslessTcp(ProtocolVersion v) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (TestBroker broker = new TestBroker()) {
            RawClient sub = broker.track(new RawClient(broker.broker.port()));
            assertEquals(ReasonCode.SUCCESS, sub.handshake(v, "sub-" + v.level()).reasonCode());
            sub.subscribe(1, "order/" + v.level() + "/#", QoS.AT_MOST_ONCE);
            RawClient pub = broker.track(new RawClient(broker.broker.port()));
            assertEquals(ReasonCode.SUCCESS, pub.handshake(v, "pub-" + v.level()).reasonCode());

            // every PUBLISH back to back in one byte stream, written in pieces cut at random points
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                String text = "m" + i + "-" + "x".repeat(random.nextInt(200));
                sent.add(text);
                stream.writeBytes(RawClient.encode(new Publish("order/" + v.level() + "/" + i % 7,
                        text.getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false, false, 0,
                        Properties.EMPTY), v));
            }
            byte[] bytes = stream.toByteArray();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(700));
                pub.write(Arrays.copyOfRange(bytes, at, at + n));
                at += n;
            }

            List<String> received = new ArrayList<>();
            while (received.size() < MESSAGES) {
                Packet p = sub.receive();
                received.add(new String(assertInstanceOf(Publish.class, p, "seed " + seed).payload(),
                        StandardCharsets.UTF_8));
            }
            assertEquals(sent, received, v + ", seed " + seed);
        }
    }
}
