package io.checkedmqtt.broker.e2e;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {

    @Test
    @DisplayName("v3.1.1 QoS 2 publish reaches a QoS 2 subscriber")
    void roundTrip() throws Exception {
        try (TestBroker broker = new TestBroker(s -> s.logConnections(true).verbose(true))) {
            V3Client sub = broker.track(new V3Client(broker.uri, "sub")).connect(true).subscribe("a/b", 2);
            V3Client pub = broker.track(new V3Client(broker.uri, "pub")).connect(true);
            pub.publish("a/b", "hello", 2);
            Received r = sub.next();
            assertEquals(new Received("a/b", "hello", 2, false, false), r);
        }
    }
}
