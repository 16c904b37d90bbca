package io.checkedmqtt.broker.tls;

import io.checkedmqtt.broker.layer.Outbound;
import io.checkedmqtt.broker.layer.Scratch;
import io.checkedmqtt.broker.layer.StreamLayer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * TLS for one connection with the JDK's {@link SSLEngine}, driven without a socket. The
 * handshake runs inside {@link #receive}: every record read may make the engine want to answer,
 * and its answer goes to {@link #outbound()}. Delegated tasks (the handshake's signatures and key
 * agreement) run right there, on the loop thread: a few hundred microseconds per handshake.
 *
 * <p>Renegotiation is refused: TLS 1.2 lets a client start a new handshake inside the
 * connection, which buys it nothing here and costs the broker a handshake's CPU each time. A new
 * handshake after the first one ends the connection. (TLS 1.3 has no renegotiation; its
 * post-handshake messages, session tickets and key updates, are answered as usual.)
 */
public final class TlsLayer implements StreamLayer {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SSLEngine engine;
    private final Outbound outbound = new Outbound();
    /** A record that has not fully arrived, read mode; null when none is waiting. */
    private ByteBuffer partialRecord;
    /** Where decrypted bytes go up: shared by the loop's TLS layers. */
    private final Scratch scratch;
    /** The scratch buffer during one {@link #receive} call. */
    private ByteBuffer plain;
    private boolean established;
    private String endReason;
    private String peerSubject;

    public TlsLayer(SSLEngine engine) {
        this(engine, new Scratch());
    }

    public TlsLayer(SSLEngine engine, Scratch scratch) {
        this.engine = engine;
        this.scratch = scratch;
    }

    @Override
    public ByteBuffer receive(ByteBuffer fromBelow) {
        plain = scratch.cleared(engine.getSession().getApplicationBufferSize());
        if (endReason != null) {
            fromBelow.position(fromBelow.limit());
            ByteBuffer nothing = plain.flip();
            plain = null;
            return nothing;
        }
        ByteBuffer input = fromBelow;
        if (partialRecord != null) {
            input = ByteBuffer.allocate(partialRecord.remaining() + fromBelow.remaining());
            input.put(partialRecord).put(fromBelow).flip();
            partialRecord = null;
        }
        try {
            unwrapAll(input);
        } catch (SSLException e) {
            fail("TLS: " + e.getMessage());
        }
        if (input.hasRemaining() && endReason == null) {
            partialRecord = ByteBuffer.allocate(input.remaining());
            partialRecord.put(input).flip();
        }
        fromBelow.position(fromBelow.limit());
        ByteBuffer up = plain.flip();
        plain = null;
        return up;
    }

    private void unwrapAll(ByteBuffer input) throws SSLException {
        while (endReason == null) {
            ensurePlainRoom();
            SSLEngineResult result = engine.unwrap(input, plain);
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW:
                    runHandshake(engine.getHandshakeStatus());   // a handshake this side starts speaks first
                    return;   // the rest of the record has not arrived
                case BUFFER_OVERFLOW:
                    growPlain();
                    continue;
                case CLOSED:
                    peerClosed();
                    return;
                default:
                    break;
            }
            runHandshake(result.getHandshakeStatus());
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
                return;
            }
            if (!input.hasRemaining() && engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
                return;
            }
        }
    }

    /** Answers what the engine asks for after an unwrap, until it waits for the peer again. */
    private void runHandshake(HandshakeStatus status) throws SSLException {
        HandshakeStatus current = status;
        while (endReason == null) {
            switch (current) {
                case NEED_TASK -> {
                    refuseRenegotiation();
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    current = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    refuseRenegotiation();
                    current = wrapFrom(NOTHING, 0, 1);
                }
                case FINISHED -> {
                    handshakeFinished();
                    current = engine.getHandshakeStatus();
                }
                default -> {
                    return;   // NEED_UNWRAP (wait for the peer) or NOT_HANDSHAKING
                }
            }
        }
    }

    /** TLS 1.2: a handshake that starts after the first one finished is a renegotiation. */
    private void refuseRenegotiation() {
        if (established && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
            fail("TLS: renegotiation refused");
        }
    }

    private void handshakeFinished() {
        if (established) {
            return;
        }
        established = true;
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                peerSubject = certificate.getSubjectX500Principal().getName();
            }
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            peerSubject = null;
        }
    }

    @Override
    public void send(ByteBuffer[] fromAbove, int offset, int length) {
        if (endReason != null) {
            return;
        }
        try {
            while (hasRemaining(fromAbove, offset, length) && endReason == null) {
                wrapFrom(fromAbove, offset, length);
            }
        } catch (SSLException e) {
            fail("TLS: " + e.getMessage());
        }
    }

    /** One wrap into the outbound bytes (room for a whole record is made first); returns the new status. */
    private HandshakeStatus wrapFrom(ByteBuffer[] sources, int offset, int length) throws SSLException {
        SSLSession session = engine.getSession();
        ByteBuffer target = outbound.startWriting(session.getPacketBufferSize());
        SSLEngineResult result;
        try {
            result = engine.wrap(sources, offset, length, target);
        } finally {
            outbound.doneWriting();
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && endReason == null && !engine.isInboundDone()) {
            endReason = "TLS: closed";
        }
        HandshakeStatus status = result.getHandshakeStatus();
        if (status == HandshakeStatus.FINISHED) {
            handshakeFinished();
            status = engine.getHandshakeStatus();
        }
        if (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                return HandshakeStatus.NOT_HANDSHAKING;
            }
            runHandshake(status);
            return engine.getHandshakeStatus();
        }
        return status;
    }

    private void peerClosed() {
        if (endReason == null) {
            endReason = "closed by client (TLS close_notify)";
        }
        engine.closeOutbound();
        flushClose();
    }

    /** Ends the connection after a TLS error: the engine's alert goes out first. */
    private void fail(String reason) {
        endReason = reason;
        engine.closeOutbound();
        flushClose();
    }

    /** Writes what closing produces: the close_notify or the alert. */
    private void flushClose() {
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                ByteBuffer target = outbound.startWriting(engine.getSession().getPacketBufferSize());
                try {
                    engine.wrap(NOTHING, target);
                } finally {
                    outbound.doneWriting();
                }
            }
        } catch (SSLException alreadyBroken) {
            // nothing more can be said to the peer; the socket is closed next either way
        }
    }

    @Override
    public void close() {
        if (endReason == null) {
            endReason = "closed by broker";
        }
        engine.closeOutbound();
        flushClose();
    }

    @Override
    public Outbound outbound() {
        return outbound;
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public String endReason() {
        return endReason;
    }

    /** The subject of the client's certificate (RFC 2253 form), or null when the client sent none. */
    public String peerSubject() {
        return peerSubject;
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}; meaningful once {@link #established()}. */
    public String protocol() {
        return engine.getSession().getProtocol();
    }

    private void ensurePlainRoom() {
        plain = scratch.grown(engine.getSession().getApplicationBufferSize());
    }

    private void growPlain() {
        plain = scratch.grown(plain.capacity() - plain.position() + 1);
    }

    private static boolean hasRemaining(ByteBuffer[] buffers, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
