package io.checkedmqtt.broker.observe;

/**
 * Counters of MQTT traffic that only the loop thread writes and reads (the metrics, the API and
 * {@code $SYS} run on it too), so they are plain fields: counting a message costs an increment,
 * not a memory fence. Bytes are MQTT bytes, before TLS or WebSocket framing.
 */
public final class Traffic {

    private final long[] messagesIn = new long[3];
    private final long[] messagesOut = new long[3];
    private final long[] messageBytesIn = new long[3];
    private final long[] messageBytesOut = new long[3];
    private long bytesIn;
    private long bytesOut;
    private long droppedQueueFull;
    private long attached;
    private long connected;
    private long maximumConnected;

    /** A PUBLISH of {@code bytes} bytes (its whole frame) arrived with this QoS. */
    public void publishIn(int qos, int bytes) {
        messagesIn[qos]++;
        messageBytesIn[qos] += bytes;
    }

    /** A PUBLISH of {@code bytes} bytes was queued to a client with this QoS. */
    public void publishOut(int qos, int bytes) {
        messagesOut[qos]++;
        messageBytesOut[qos] += bytes;
    }

    public void bytesIn(long n) {
        bytesIn += n;
    }

    public void bytesOut(long n) {
        bytesOut += n;
    }

    /** The core dropped messages because a session's queue was full. */
    public void droppedQueueFull(long n) {
        droppedQueueFull += n;
    }

    /** A connection's CONNECT was accepted: one more connected client. */
    public void clientAttached() {
        attached++;
        connected++;
        maximumConnected = Math.max(maximumConnected, connected);
    }

    /** A connection that carried a client closed. */
    public void clientDetached() {
        connected--;
    }

    /** CONNECTs accepted since start. */
    public long clientsAttached() {
        return attached;
    }

    /** The most clients connected at once since start (Mosquitto's {@code clients/maximum}). */
    public long maximumConnected() {
        return maximumConnected;
    }

    public long messagesIn(int qos) {
        return messagesIn[qos];
    }

    public long messagesOut(int qos) {
        return messagesOut[qos];
    }

    public long messageBytesIn(int qos) {
        return messageBytesIn[qos];
    }

    public long messageBytesOut(int qos) {
        return messageBytesOut[qos];
    }

    public long messagesIn() {
        return messagesIn[0] + messagesIn[1] + messagesIn[2];
    }

    public long messagesOut() {
        return messagesOut[0] + messagesOut[1] + messagesOut[2];
    }

    public long messageBytesIn() {
        return messageBytesIn[0] + messageBytesIn[1] + messageBytesIn[2];
    }

    public long messageBytesOut() {
        return messageBytesOut[0] + messageBytesOut[1] + messageBytesOut[2];
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long droppedQueueFull() {
        return droppedQueueFull;
    }
}
