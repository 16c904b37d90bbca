package io.checkedmqtt.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Command-line parsing and the scenarios' topologies. */
class OptionsTest {

    @Test
    @DisplayName("defaults: 127.0.0.1:1883, MQTT 3.1.1, QoS 0, 64 B, bounded duration; latency defaults to 20,000 msg/s")
    void defaults() {
        final Options o = Options.parse(List.of("pairs"));
        assertEquals("127.0.0.1", o.host());
        assertEquals(1883, o.port());
        assertEquals(MqttVersion.V311, o.version());
        assertEquals(64, o.payload());
        assertEquals(1, o.clients());
        assertEquals(10.0, o.durationSeconds());
        assertEquals(0.0, o.rate());
        assertEquals(20_000.0, Options.parse(List.of("latency")).rate());
        assertEquals(1000, Options.parse(List.of("conn")).clients());
    }

    @Test
    @DisplayName("bad values are refused with the option's name")
    void refusals() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("pairs", "--qos", "3")))
                .getMessage().contains("--qos"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("pairs", "--payload", "19")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("pairs", "--bogus", "1")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("latency", "--rate", "0")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("storm")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("pairs", "--mqtt", "4.0")));
    }

    @Test
    @DisplayName("topologies: pairs route i→i, fanin N→1 by wildcard, fanout 1→N")
    void topologies() {
        assertEquals(1, Scenario.FANOUT.publishers(100));
        assertEquals(100, Scenario.FANOUT.deliveriesPerMessage(100));
        assertEquals(1, Scenario.FANIN.subscribers(100));
        assertEquals(100, Scenario.FANIN.publishersPerSubscriber(100));
        assertTrue(Scenario.PAIRS.routes(3, 3));
        assertTrue(!Scenario.PAIRS.routes(3, 4));
        assertEquals("bench/r/in/+", Scenario.FANIN.filter("r", 0));
        assertTrue(Scenario.FANIN.topic("r", 7).startsWith("bench/r/in/"));
    }
}
