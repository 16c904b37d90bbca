package io.checkedmqtt.testkit.paho;

import java.util.List;

/** What the version-independent tests need from a Paho client (3.1.1 or 5.0). */
public interface TestClient extends AutoCloseable {

    /** 3.1.1 CleanSession; for 5.0, Clean Start, and a session kept after the connection unless clean. */
    default TestClient connect(boolean clean) throws Exception {
        return connect(clean, !clean);
    }

    /**
     * Clean Start, and whether the session outlives the connection: 5.0 states the two apart
     * (Session Expiry Interval 0, or 300 s when kept); 3.1.1 has one flag, CleanSession, which
     * {@code cleanStart} sets, so there {@code keepSession} is {@code !cleanStart}.
     */
    TestClient connect(boolean cleanStart, boolean keepSession) throws Exception;

    TestClient subscribe(String filter, int qos) throws Exception;

    void unsubscribe(String filter) throws Exception;

    void publish(String topic, String payload, int qos) throws Exception;

    void publish(String topic, String payload, int qos, boolean retained) throws Exception;

    /** The next message delivered to the application, or null after 5 s. */
    Received next() throws InterruptedException;

    /** The next message within {@code millis}, or null. */
    Received poll(long millis) throws InterruptedException;

    /** Every message delivered to the application so far, in order (whether or not read with {@link #next}). */
    List<Received> deliveries();

    /** A normal DISCONNECT. */
    void disconnect() throws Exception;

    /** Close the socket under the client (a cut it did not ask for) and wait until the client noticed. */
    void cut() throws Exception;

    boolean isConnected();

    /** After a failed connect: true when the client never wrote its CONNECT (see {@link PahoClient}). */
    boolean lastSocketWroteNothing();

    String clientId();
}
