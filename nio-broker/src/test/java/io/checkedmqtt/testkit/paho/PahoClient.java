package io.checkedmqtt.testkit.paho;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * What the two Paho clients share: the messages their application got (in a queue the test
 * reads, and in a list of everything), the client id, and the sockets under them: cuttable ones
 * for plain TCP and WebSocket, the given TLS factory for ssl:// and wss://.
 */
abstract sealed class PahoClient implements TestClient permits V3Client, V5Client {

    public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> deliveries = new ArrayList<>();
    private final CuttableSockets sockets = new CuttableSockets();
    private final String clientId;
    /** For ssl:// and wss://: a factory that trusts the test CA; null for tcp:// and ws://. */
    private final SocketFactory secure;

    PahoClient(String clientId, SocketFactory secure) {
        this.clientId = clientId;
        this.secure = secure;
    }

    /** Paho's callback thread hands on one message. */
    final void arrived(String topic, byte[] payload, int qos, boolean retained, boolean duplicate, int packetId) {
        Received r = Received.of(topic, payload, qos, retained, duplicate, packetId);
        synchronized (deliveries) {
            deliveries.add(r);
        }
        received.add(r);
    }

    /**
     * The sockets to connect with: the TLS factory this client was made with, else the factory the
     * options name, else this client's cuttable ones.
     */
    final SocketFactory socketFactory(SocketFactory given) {
        if (secure != null) {
            return secure;
        }
        return given == null || given instanceof CuttableSockets ? sockets : given;
    }

    /** A DISCONNECT, waiting at most {@code quiesceMillis} for work in progress. */
    abstract void disconnect(long quiesceMillis) throws Exception;

    /** Frees Paho's resources; the client cannot connect again. */
    abstract void release() throws Exception;

    @Override
    public void publish(String topic, String payload, int qos) throws Exception {
        publish(topic, payload, qos, false);
    }

    @Override
    public Received next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    @Override
    public Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Received> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void disconnect() throws Exception {
        disconnect(2_000);
    }

    @Override
    public void cut() throws InterruptedException {
        sockets.cutAndAwait(this::isConnected);
    }

    /**
     * Whether the client wrote nothing on its last plain socket: after a failed connect, the
     * CONNECT never left the client (Paho 1.2.5 now and then opens a socket after a cut and never
     * writes on it), so the broker cannot be blamed for the missing CONNACK.
     */
    @Override
    public boolean lastSocketWroteNothing() {
        return secure == null && sockets.lastWroteNothing();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void close() throws Exception {
        try {
            if (isConnected()) {
                disconnect(1_000);
            }
        } finally {
            release();
        }
    }
}
