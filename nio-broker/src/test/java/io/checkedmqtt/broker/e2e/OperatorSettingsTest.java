package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ConfigFile;
import io.checkedmqtt.broker.MqttBroker;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * {@code max_keepalive}, {@code receive_maximum} and {@code max_topic_levels} from a config file to
 * what clients see on the wire.
 */
class OperatorSettingsTest {

    private MqttBroker broker;

    @BeforeEach
    void start() throws Exception {
        BrokerSettings settings = ConfigFile.parse(String.join("\n", "max_keepalive 2", "receive_maximum 2",
                "max_topic_levels 2"), BrokerSettings.builder().port(0).logConnections(false).build());
        broker = MqttBroker.start(settings);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static Publish publish(String topic, QoS qos, int id) {
        return new Publish(topic, new byte[] {1}, qos, false, false, id, Properties.EMPTY);
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-21] [MQTT-3.2.2-22] [MQTT-3.1.2-22] max_keepalive 2: a client asking for 60 s gets Server Keep Alive 2 and is closed with 0x8D after 3 s of silence; v3.1.1 section 3.1.2.10 keeps its own 60 s")
    void maxKeepAlive() throws Exception {
        RawClient v5 = new RawClient(broker.port());
        Connack connack = v5.handshake(ProtocolVersion.MQTT_5, "k5", 60, Properties.EMPTY);
        assertEquals(2, connack.properties().integer(PropertyId.SERVER_KEEP_ALIVE, -1));
        assertEquals(2, connack.properties().integer(PropertyId.RECEIVE_MAXIMUM, -1));
        RawClient v3 = new RawClient(broker.port());
        v3.handshake(ProtocolVersion.MQTT_3_1_1, "k3", 60, Properties.EMPTY);
        assertEquals(List.of(new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT)), v5.awaitClose(6_000));
        v3.send(PingReq.INSTANCE);
        assertInstanceOf(PingResp.class, v3.receive(), "the 3.1.1 client is still connected");
    }

    @Test
    @DisplayName("v5 receive_maximum 2: a third QoS 2 PUBLISH awaiting PUBREL gets DISCONNECT 0x93 Receive Maximum exceeded")
    void receiveMaximum() throws Exception {
        RawClient c = new RawClient(broker.port());
        c.handshake(ProtocolVersion.MQTT_5, "rm");
        c.send(publish("t", QoS.EXACTLY_ONCE, 1));
        c.send(publish("t", QoS.EXACTLY_ONCE, 2));
        assertInstanceOf(PubRec.class, c.receive());
        assertInstanceOf(PubRec.class, c.receive());
        c.send(publish("t", QoS.EXACTLY_ONCE, 3));
        assertEquals(List.of(new Disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED)), c.awaitClose(3_000));
    }

    @Test
    @DisplayName("v5 max_topic_levels 2: a filter of three levels gets SUBACK 0x8F, a QoS 1 PUBLISH to three levels PUBACK 0x90")
    void maxTopicLevels() throws Exception {
        RawClient c = new RawClient(broker.port());
        c.handshake(ProtocolVersion.MQTT_5, "levels");
        c.send(new Subscribe(1, List.of(
                new Subscription("a/b", SubscriptionOptions.of(QoS.AT_MOST_ONCE)),
                new Subscription("a/b/c", SubscriptionOptions.of(QoS.AT_MOST_ONCE))),
                Properties.EMPTY));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.TOPIC_FILTER_INVALID), ((SubAck) c.receive()).reasonCodes());
        c.send(publish("a/b/c", QoS.AT_LEAST_ONCE, 5));
        assertEquals(new PubAck(5, ReasonCode.TOPIC_NAME_INVALID, Properties.EMPTY), c.receive());
    }
}
