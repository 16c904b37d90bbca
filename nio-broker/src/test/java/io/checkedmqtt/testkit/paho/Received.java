package io.checkedmqtt.testkit.paho;

import java.nio.charset.StandardCharsets;

/** One message a Paho client handed to its application. */
public record Received(String topic, String payload, int qos, boolean retained, boolean duplicate, int packetId) {

    static Received of(String topic, byte[] payload, int qos, boolean retained, boolean duplicate, int packetId) {
        return new Received(topic, new String(payload, StandardCharsets.UTF_8), qos, retained, duplicate, packetId);
    }
}
