package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.CuttableSockets;
import io.checkedmqtt.testkit.paho.Received;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What the two {@link AsyncPaho} clients share: the messages handed to the application, the
 * connection-lost signal, and the sockets a test can cut. Each version's callback feeds it.
 */
abstract class AsyncPahoBase implements AsyncPaho {

    final String clientId;
    final CuttableSockets sockets = new CuttableSockets();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Semaphore lost = new Semaphore(0);

    AsyncPahoBase(String clientId) {
        this.clientId = clientId;
    }

    /** Paho handed a message to the application. */
    final void arrived(String topic, byte[] payload, int qos, boolean retained, boolean duplicate, int id) {
        received.add(new Received(topic, new String(payload, StandardCharsets.UTF_8), qos, retained, duplicate, id));
    }

    /** Paho noticed the connection is gone. */
    final void lostConnection() {
        lost.release();
    }

    /** Before a connect: a loss noticed earlier does not count for the new connection. */
    final void forgetLosses() {
        lost.drainPermits();
    }

    @Override
    public final Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public final boolean awaitLost(long millis) throws InterruptedException {
        return lost.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public final void cut() throws Exception {
        sockets.cut();
        awaitLost(5_000);
    }

    @Override
    public final String clientId() {
        return clientId;
    }
}
