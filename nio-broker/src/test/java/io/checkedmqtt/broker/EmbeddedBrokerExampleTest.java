package io.checkedmqtt.broker;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding example from nio-broker/README.md, kept compiling and passing. */
class EmbeddedBrokerExampleTest {

    // --- README example start
    private MqttBroker broker;

    @BeforeEach
    void startBroker() throws Exception {
        broker = MqttBroker.start(BrokerSettings.builder()
                .port(0)                  // any free port; read it back with broker.port()
                .logConnections(false)
                .build());
    }

    @AfterEach
    void stopBroker() {
        broker.close();               // graceful: waits until every socket is closed
    }

    @Test
    void deliversToSubscriber() throws Exception {
        String uri = "tcp://127.0.0.1:" + broker.port();
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);

        MqttClient subscriber = new MqttClient(uri, "subscriber", new MemoryPersistence());
        subscriber.connect();
        subscriber.subscribe("sensors/+/temperature", 1,
                (topic, message) -> received.add(topic + "=" + new String(message.getPayload())));

        MqttClient publisher = new MqttClient(uri, "publisher", new MemoryPersistence());
        publisher.connect();
        publisher.publish("sensors/kitchen/temperature", new MqttMessage("21.5".getBytes()));

        assertEquals("sensors/kitchen/temperature=21.5", received.poll(5, TimeUnit.SECONDS));
        publisher.disconnect();
        subscriber.disconnect();
        publisher.close();
        subscriber.close();
    }
    // --- README example end

    @Test
    @DisplayName("port 0 binds a real free port on 127.0.0.1; close() stops the loop and is idempotent")
    void lifecycle() throws Exception {
        assertTrue(broker.port() > 0);
        assertEquals("127.0.0.1", broker.address().getAddress().getHostAddress());
        assertTrue(broker.isRunning());
        broker.close();
        assertFalse(broker.isRunning());
        broker.close();
    }
}
