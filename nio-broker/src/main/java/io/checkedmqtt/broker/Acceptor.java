package io.checkedmqtt.broker;

import io.checkedmqtt.broker.observe.Api;
import io.checkedmqtt.broker.observe.PacketTrail;
import io.checkedmqtt.broker.websocket.WebSocketLayer;
import io.checkedmqtt.core.effect.ConnectionId;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * New sockets: accepts on a ready listener, turns an MQTT socket into a {@link Connection} with its
 * listener's transport and tells the core, hands an HTTP socket to {@link HttpConnections}, and
 * takes back an HTTP socket that upgraded to MQTT over WebSocket. {@code max_sockets} is kept
 * here: a socket beyond it is accepted and closed at once, without a CONNACK.
 */
final class Acceptor {

    /** Shell deadline: accepting failed on this listener (file descriptors exhausted?); try again. */
    record ResumeAccept(Listener listener) {
    }

    private static final long ACCEPT_RETRY_MILLIS = 100;
    private static final int MAX_ACCEPTS_PER_PASS = 256;

    private final Selector selector;
    private final Connections connections;
    private final CoreRunner core;
    private final ConnectionWriter writer;
    private final Timers<Object> timers;
    private final BrokerSettings settings;
    /** Every connection's queue counts against it. */
    private final OutboundBudget outbound;
    private final BrokerLog log;
    private final BrokerStats stats;
    private final HttpConnections http;
    private long nextConnectionId = 1;

    /** @param api the HTTP API, or null when there is no HTTP listener */
    Acceptor(Selector selector, Connections connections, CoreRunner core, ConnectionWriter writer,
             Timers<Object> timers, BrokerSettings settings, OutboundBudget outbound, BrokerLog log, BrokerStats stats,
             Api api) {
        this.outbound = outbound;
        this.selector = selector;
        this.connections = connections;
        this.core = core;
        this.writer = writer;
        this.timers = timers;
        this.settings = settings;
        this.log = log;
        this.stats = stats;
        this.http = api == null ? null : new HttpConnections(selector, timers, settings.http(), api, this::adopt,
                settings.core().maximumPacketSize(), log, () -> core.authorizer().passwords());
    }

    /** The HTTP listener's sockets; null without an HTTP listener. */
    HttpConnections http() {
        return http;
    }

    void acceptAll(Listener listener, long now) {
        for (int i = 0; i < MAX_ACCEPTS_PER_PASS; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                log.error("accept on " + listener + " failed, pausing it for " + ACCEPT_RETRY_MILLIS + " ms", e);
                listener.pauseAccepting();
                timers.schedule(new ResumeAccept(listener), now + ACCEPT_RETRY_MILLIS);
                return;
            }
            if (channel == null) {
                return;
            }
            if (listener.isHttp()) {
                http.accept(channel, now);
            } else if (underLimit(channel)) {
                open(listener, channel, now);
            }
        }
    }

    /** Counts an accepted MQTT socket; false (and the socket closed) beyond {@code max_sockets}. */
    private boolean underLimit(SocketChannel channel) {
        stats.connectionsAccepted++;
        if (connections.size() < settings.maxConnections()) {
            return true;
        }
        stats.connectionsRefused++;
        if (log.connections()) {
            log.connection("refused " + Connection.remoteOf(channel) + ": max_sockets ("
                    + settings.maxConnections() + ") reached");
        }
        Connections.closeQuietly(channel);
        return false;
    }

    private void open(Listener listener, SocketChannel channel, long now) {
        Connection connection;
        try {
            channel.configureBlocking(false);
            // batching comes from one write per wake-up, not from Nagle's delay
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Transport transport = listener.transportFor(channel);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            connection = new Connection(new ConnectionId(nextConnectionId++), channel, key, transport, outbound);
            key.attach(connection);
        } catch (IOException | RuntimeException e) {
            log.error("could not set up a socket accepted on " + listener + " from " + Connection.remoteOf(channel), e);
            Connections.closeQuietly(channel);
            return;
        }
        opened(connection, listener.name(), now);
    }

    /**
     * An HTTP socket upgraded to WebSocket at {@code /mqtt} (the dashboard's live view, or any MQTT
     * client): from now on it is an MQTT connection like one of a WebSocket listener, counted
     * against {@code max_sockets}. The layer holds its 101 answer, written at the end of the pass.
     */
    private void adopt(SocketChannel channel, SelectionKey key, WebSocketLayer layer, long now) {
        if (!underLimit(channel)) {
            key.cancel();
            return;
        }
        Connection connection = new Connection(new ConnectionId(nextConnectionId++), channel, key,
                new LayeredTransport(layer), outbound);
        key.attach(connection);
        key.interestOps(SelectionKey.OP_READ);
        opened(connection, "http", now);
        writer.scheduleFlush(connection);
    }

    private void opened(Connection connection, String listenerName, long now) {
        if (http != null) {
            connection.trail = new PacketTrail();
        }
        connection.listener = listenerName;
        connections.add(connection);
        if (log.connections()) {
            log.connection("open " + connection.describe());
        }
        core.connectionOpened(connection, now);
    }
}
