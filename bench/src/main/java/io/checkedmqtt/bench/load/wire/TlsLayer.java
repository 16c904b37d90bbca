package io.checkedmqtt.bench.load.wire;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.nio.ByteBuffer;

/** The client side of TLS for the load tool, over the JDK's SSLEngine. */
final class TlsLayer implements Layer {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private boolean ended;

    /** Each engine names another peer port, so the JDK's session cache never resumes: every handshake is full. */
    private static final java.util.concurrent.atomic.AtomicInteger PEER = new java.util.concurrent.atomic.AtomicInteger();

    TlsLayer(final TlsSettings settings) {
        engine = settings.context.createSSLEngine(settings.host, 1 + (PEER.getAndIncrement() & 0xFFFF));
        engine.setUseClientMode(true);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (settings.protocol != null) {
            parameters.setProtocols(new String[] {settings.protocol});
        }
        engine.setSSLParameters(parameters);
    }

    @Override
    public void start(final Bytes down) throws IOException {
        engine.beginHandshake();
        handshake(down);
    }

    @Override
    public void decode(final Bytes from, final Bytes up, final Bytes down) throws IOException {
        final ByteBuffer in = from.read();
        while (in.hasRemaining() && !ended) {
            final ByteBuffer target = up.write(engine.getSession().getApplicationBufferSize());
            final SSLEngineResult result;
            try {
                result = engine.unwrap(in, target);
            } finally {
                up.written();
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                ended = true;
                return;
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                break;
            }
            handshake(down);
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break;
            }
        }
        handshake(down);
    }

    /** Runs tasks and sends handshake messages until the engine waits for the broker or is done. */
    private void handshake(final Bytes down) throws IOException {
        while (true) {
            final HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY, down);
            } else {
                return;
            }
        }
    }

    @Override
    public void encode(final Bytes from, final Bytes down) throws IOException {
        final ByteBuffer in = from.read();
        final HandshakeStatus status = engine.getHandshakeStatus();
        if (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED) {
            return;   // application bytes wait for the handshake
        }
        while (in.hasRemaining()) {
            wrap(in, down);
        }
    }

    private void wrap(final ByteBuffer source, final Bytes down) throws IOException {
        final ByteBuffer target = down.write(engine.getSession().getPacketBufferSize());
        try {
            final SSLEngineResult result = engine.wrap(source, target);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                ended = true;
                source.position(source.limit());
            }
        } finally {
            down.written();
        }
    }

    @Override
    public boolean ended() {
        return ended;
    }
}
