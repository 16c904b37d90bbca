package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.paho.V3Client;
import io.checkedmqtt.testkit.paho.V5Client;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownTest {

    @Test
    @DisplayName("graceful stop: 5.0 clients get DISCONNECT 0x8B (Server shutting down), 3.1.1 clients are closed,"
            + " no new connections are accepted")
    void gracefulStop() throws Exception {
        TestBroker broker = new TestBroker();
        try {
            V5Client v5 = (V5Client) Versions.V5.client(broker, "stop-v5").connect(true);
            V3Client v3 = (V3Client) Versions.V3_1_1.client(broker, "stop-v3").connect(true);
            RawClient raw5 = broker.track(new RawClient(broker.broker.port()));
            raw5.handshake(ProtocolVersion.MQTT_5, "stop-raw5");
            RawClient raw3 = broker.track(new RawClient(broker.broker.port()));
            raw3.handshake(ProtocolVersion.MQTT_3_1_1, "stop-raw3");
            int port = broker.broker.port();

            broker.broker.close();
            assertFalse(broker.broker.isRunning());

            List<Packet> to5 = raw5.awaitClose(3_000);
            assertEquals(List.of(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN)), to5);
            assertEquals(List.of(), raw3.awaitClose(3_000), "3.1.1 has no server DISCONNECT: just closed");
            MqttDisconnectResponse response = v5.awaitDisconnect();
            assertNotNull(response);
            assertEquals(0x8B, response.getReturnCode());
            assertTrue(v3.awaitLost(), "the 3.1.1 Paho client saw its connection end");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        } finally {
            broker.close();
        }
    }
}
