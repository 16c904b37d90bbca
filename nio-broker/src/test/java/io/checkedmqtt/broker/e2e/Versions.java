package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.TestClient;
import io.checkedmqtt.testkit.paho.V3Client;
import io.checkedmqtt.testkit.paho.V5Client;
/** Makes a Paho client of either protocol version for a test broker. */
enum Versions {
    V3_1_1 {
        @Override
        TestClient client(TestBroker broker, String clientId) throws Exception {
            return broker.track(new V3Client(broker.uri, clientId));
        }
    },
    V5 {
        @Override
        TestClient client(TestBroker broker, String clientId) throws Exception {
            return broker.track(new V5Client(broker.uri, clientId));
        }
    };

    abstract TestClient client(TestBroker broker, String clientId) throws Exception;
}
