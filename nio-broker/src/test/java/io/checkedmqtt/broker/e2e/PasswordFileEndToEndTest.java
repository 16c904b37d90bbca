package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ConfigFile;
import io.checkedmqtt.broker.auth.MosquittoTools;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password file written by the real {@code mosquitto_passwd} ($7$ and $6$ entries), given to
 * the broker through its config file, and clients that know or do not know the password: Paho
 * 3.1.1, Paho 5.0 and Mosquitto's own {@code mosquitto_sub}.
 */
class PasswordFileEndToEndTest {

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        Path file = dir.resolve("passwd");
        MosquittoTools.addUser(file, "sha512-pbkdf2", "device", "s3cret!");
        MosquittoTools.addUser(file, "sha512", "legacy", "old-hash");
        BrokerSettings fromFile = ConfigFile.parse("password_file " + file + "\n", BrokerSettings.defaults());
        broker = new TestBroker(b -> b.auth(fromFile.auth()));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static org.eclipse.paho.client.mqttv3.MqttClient v3(String id) throws Exception {
        return new org.eclipse.paho.client.mqttv3.MqttClient(broker.uri, id, new MemoryPersistence());
    }

    private static org.eclipse.paho.mqttv5.client.MqttClient v5(String id) throws Exception {
        return new org.eclipse.paho.mqttv5.client.MqttClient(broker.uri, id,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    }

    @ParameterizedTest(name = "3.1.1 user={0} password={1} -> {2}")
    @CsvSource({"device, s3cret!, 0", "legacy, old-hash, 0", "device, wrong, 4", "nobody, s3cret!, 4", "-, -, 5"})
    @DisplayName("v3.1.1 [MQTT-3.1.3-10] [MQTT-3.2.2-5] Paho 3.1.1: the right password connects; a wrong one gets return code 4, none 5 (allow_anonymous defaults to false with a password file)")
    void paho311(String user, String password, int expected) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient client = v3("p3-" + user);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setConnectionTimeout(5);
        if (!user.equals("-")) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        try {
            if (expected == 0) {
                client.connect(o);
                assertTrue(client.isConnected());
                client.disconnect();
            } else {
                MqttSecurityException e = assertThrows(MqttSecurityException.class, () -> client.connect(o));
                assertEquals(expected, e.getReasonCode());
            }
        } finally {
            client.close();
        }
    }

    @ParameterizedTest(name = "5.0 user={0} password={1} -> {2}")
    @CsvSource({"device, s3cret!, 0", "legacy, old-hash, 0", "device, wrong, 134", "device, -, 134", "-, -, 135"})
    @DisplayName("v5 [MQTT-3.2.2-6] [MQTT-3.2.2-7] Paho 5.0: the right password connects; a wrong or missing one gets CONNACK 0x86, no user name 0x87")
    void paho5(String user, String password, int expected) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient client = v5("p5-" + user + "-" + password);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setConnectionTimeout(5);
        if (!user.equals("-")) {
            o.setUserName(user);
        }
        if (!password.equals("-")) {
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (expected == 0) {
                client.connect(o);
                assertTrue(client.isConnected());
                client.disconnect();
            } else {
                MqttException e = assertThrows(MqttException.class, () -> client.connect(o));
                assertEquals(expected, e.getReasonCode());
            }
        } finally {
            client.close();
        }
    }

    @Test
    @DisplayName("mosquitto_sub with the right password receives a retained message; with a wrong one it is refused, in 3.1.1 and 5.0")
    void mosquittoSub() throws Exception {
        Path sub = MosquittoTools.require("mosquitto_sub", "mosquitto-clients");
        org.eclipse.paho.mqttv5.client.MqttClient publisher = v5("retainer");
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName("device");
        o.setPassword("s3cret!".getBytes(StandardCharsets.UTF_8));
        publisher.connect(o);
        publisher.publish("status/device", "online".getBytes(StandardCharsets.UTF_8), 1, true);
        publisher.disconnect();
        publisher.close();
        for (String version : List.of("mqttv311", "mqttv5")) {
            String port = Integer.toString(broker.broker.port());
            String ok = MosquittoTools.run(List.of(sub.toString(), "-h", "127.0.0.1", "-p", port, "-V", version,
                    "-u", "legacy", "-P", "old-hash", "-t", "status/#", "-C", "1", "-W", "10"));
            assertEquals("online", ok.strip(), version);
            java.io.IOException refused = assertThrows(java.io.IOException.class, () -> MosquittoTools.run(List.of(
                    sub.toString(), "-h", "127.0.0.1", "-p", port, "-V", version, "-u", "legacy", "-P", "nope",
                    "-t", "status/#", "-C", "1", "-W", "10")));
            String message = refused.getMessage().toLowerCase(java.util.Locale.ROOT);
            assertTrue(message.contains("bad user name or password") || message.contains("bad username or password"),
                    version + ": " + refused.getMessage());
        }
    }
}
