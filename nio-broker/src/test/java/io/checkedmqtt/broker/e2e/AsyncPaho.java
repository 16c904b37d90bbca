package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.testkit.paho.Received;

/**
 * An Eclipse Paho client (3.1.1 or 5.0, the asynchronous API) for the client-testing tests: a
 * publish returns at once, so a test can see that its acknowledgement never came, cut or not;
 * the same instance reconnects with the session state Paho kept in memory.
 */
interface AsyncPaho extends AutoCloseable {

    /** A publish in progress. */
    interface Delivery {
        /** Whether the flow completed (PUBACK, or PUBCOMP) within {@code millis}. */
        boolean await(long millis) throws Exception;
    }

    static AsyncPaho of(ProtocolVersion version, String uri, String clientId) throws Exception {
        return version.isV5() ? new AsyncPaho5(uri, clientId) : new AsyncPaho3(uri, clientId);
    }

    /** Connects and waits for CONNACK: a kept session (3.1.1 CleanSession 0; 5.0 Clean Start 0, expiry 300 s) or a clean one. */
    void connect(boolean clean) throws Exception;

    /** Subscribes and waits (10 s at most) for the SUBACK. */
    default void subscribe(String filter, int qos) throws Exception {
        subscribe(filter, qos, 10_000);
    }

    /** Subscribes and waits {@code millis} at most for the SUBACK; throws when it did not come. */
    void subscribe(String filter, int qos, long millis) throws Exception;

    /** Starts a publish; returns at once. */
    Delivery publish(String topic, String payload, int qos) throws Exception;

    /** The next message handed to the application within {@code millis}, or null. */
    Received poll(long millis) throws InterruptedException;

    /** Waits until Paho noticed the connection is gone; false after {@code millis}. */
    boolean awaitLost(long millis) throws InterruptedException;

    /** Closes the socket under the client and waits until Paho noticed. */
    void cut() throws Exception;

    boolean isConnected();

    String clientId();
}
