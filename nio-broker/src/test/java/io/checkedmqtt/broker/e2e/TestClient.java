package io.checkedmqtt.broker.e2e;

/** What the version-independent tests need from a Paho client (3.1.1 or 5.0). */
interface TestClient extends AutoCloseable {

    /** 3.1.1 CleanSession; for 5.0, Clean Start with Session Expiry 0 (clean) or 300 s (kept). */
    TestClient connect(boolean clean) throws Exception;

    TestClient subscribe(String filter, int qos) throws Exception;

    void publish(String topic, String payload, int qos) throws Exception;

    void publish(String topic, String payload, int qos, boolean retained) throws Exception;

    /** The next message delivered to the application, or null after 5 s. */
    Received next() throws InterruptedException;

    /** The next message within {@code millis}, or null. */
    Received poll(long millis) throws InterruptedException;

    boolean isConnected();

    String clientId();
}
