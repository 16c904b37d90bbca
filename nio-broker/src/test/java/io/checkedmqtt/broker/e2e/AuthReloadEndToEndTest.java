package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ConfigFile;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules changed under a connected client: its next packets are judged by them, and it stays
 * connected; a file that does not parse keeps the rules in force.
 */
class AuthReloadEndToEndTest {

    private static TestBroker broker(Path acl, long intervalMillis) throws Exception {
        BrokerSettings fromFile = ConfigFile.parse("acl_file " + acl + "\nallow_anonymous true\n"
                + "auth_reload_interval_ms " + intervalMillis + "\n", BrokerSettings.defaults());
        return new TestBroker(b -> b.auth(fromFile.auth()).authReloadIntervalMillis(fromFile.authReloadIntervalMillis()));
    }

    private static void rewrite(Path file, String text, int secondsAhead) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + secondsAhead * 1_000L));
    }

    private static ReasonCode publishCode(RawClient c, String topic) throws Exception {
        c.send(new Publish(topic, new byte[]{1}, QoS.AT_LEAST_ONCE, false, false, 5, Properties.EMPTY));
        return ((PubAck) c.receive()).reasonCode();
    }

    @Test
    @DisplayName("v5 after reloadAuthFiles() the same connection is refused what it was allowed (SUBACK 0x87, PUBACK 0x87), and a broken file changes nothing")
    void reloadOnRequest(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("acl");
        rewrite(acl, "user dev\ntopic readwrite a/#\n", 0);
        try (TestBroker b = broker(acl, 0); RawClient dev = AclEndToEndTest.clientOn(b, ProtocolVersion.MQTT_5, "d", "dev")) {
            assertEquals(ReasonCode.GRANTED_QOS_1, AclEndToEndTest.subscribe(dev, "a/1"));
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, publishCode(dev, "a/2"));

            rewrite(acl, "user dev\ntopic readwrite b/#\n", 5);
            assertTrue(b.broker.reloadAuthFiles());
            assertEquals(ReasonCode.NOT_AUTHORIZED, AclEndToEndTest.subscribe(dev, "a/1"));
            assertEquals(ReasonCode.NOT_AUTHORIZED, publishCode(dev, "a/2"));
            assertEquals(ReasonCode.GRANTED_QOS_1, AclEndToEndTest.subscribe(dev, "b/1"));

            rewrite(acl, "user dev\ntopic readwrite a/#\ntopic nonsense here\n", 10);
            assertTrue(b.broker.reloadAuthFiles());
            assertEquals(ReasonCode.NOT_AUTHORIZED, AclEndToEndTest.subscribe(dev, "a/1"), "the broken file is not used");
            assertEquals(ReasonCode.GRANTED_QOS_1, AclEndToEndTest.subscribe(dev, "b/2"), "the rules in force stay");
        }
    }

    @Test
    @DisplayName("v3.1.1 a changed file is picked up by the interval check alone; the connected client's next SUBSCRIBE gets 0x80")
    void reloadOnInterval(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("acl");
        rewrite(acl, "user dev\ntopic readwrite a/#\n", 0);
        try (TestBroker b = broker(acl, 50);
             RawClient dev = AclEndToEndTest.clientOn(b, ProtocolVersion.MQTT_3_1_1, "d", "dev")) {
            assertEquals(ReasonCode.GRANTED_QOS_1, AclEndToEndTest.subscribe(dev, "a/1"));
            rewrite(acl, "user dev\ntopic readwrite b/#\n", 5);
            long deadline = System.currentTimeMillis() + 5_000;
            ReasonCode got = ReasonCode.GRANTED_QOS_1;
            while (got == ReasonCode.GRANTED_QOS_1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
                got = AclEndToEndTest.subscribe(dev, "a/1");
            }
            assertEquals(ReasonCode.UNSPECIFIED_ERROR, got, "3.1.1 SUBACK 0x80 within 5 s of the change");
        }
    }
}
