package io.checkedmqtt.model.paho;

import java.util.List;

/** The operations the Paho chains use, the same for mqttv3 and mqttv5. Each returns when the client says it is done. */
interface PahoClient extends AutoCloseable {

    /** A message the application got: its name (the payload) and QoS. */
    record Delivery(String message, int qos) {
    }

    String id();

    void connect(boolean clean, boolean keepSession) throws Exception;

    void subscribe(String filter, int qos) throws Exception;

    void unsubscribe(String filter) throws Exception;

    void publish(String topic, String message, int qos) throws Exception;

    void disconnect() throws Exception;

    /** Close the socket under the client and wait until the client noticed. */
    void cut() throws Exception;

    boolean isConnected();

    /** Everything the application received so far, in order. */
    List<Delivery> deliveries();

    @Override
    void close() throws Exception;
}
