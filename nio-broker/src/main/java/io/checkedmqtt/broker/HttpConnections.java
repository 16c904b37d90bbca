package io.checkedmqtt.broker;

import io.checkedmqtt.broker.http.BasicAuth;
import io.checkedmqtt.broker.http.HttpRequest;
import io.checkedmqtt.broker.http.HttpResponse;
import io.checkedmqtt.broker.http.RequestReader;
import io.checkedmqtt.broker.layer.Scratch;
import io.checkedmqtt.broker.observe.Api;
import io.checkedmqtt.broker.websocket.WebSocketLayer;
import io.checkedmqtt.core.auth.PasswordCheck;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The sockets of the HTTP listener, served on the loop thread like the MQTT ones: each request is
 * read whole ({@link RequestReader}, bounded), answered by the {@link Api} from the core's state of
 * that moment, and written without blocking; a streamed body is made piece by piece as the client
 * reads. A request to {@code /mqtt} that upgrades to WebSocket leaves HTTP: the socket becomes an
 * MQTT connection with a WebSocket transport, as on a WebSocket listener.
 *
 * <p>With a password file, every request needs Basic credentials of a user in it ({@link BasicAuth});
 * an upgrade to MQTT over WebSocket does not: MQTT's own CONNECT carries the credentials there.
 *
 * <p>Nothing a client does here reaches the MQTT connections but the two API actions, which are
 * core inputs: a request that is malformed, too large or too slow is answered with its status and
 * closed; past {@code http_max_connections}, a new socket gets 503 and is closed at once.
 */
final class HttpConnections {

    /** Shell deadline: the exchange's request, idle time or write has taken too long. */
    record Deadline(long exchange) {
    }

    /** Turns an upgraded socket into an MQTT connection. */
    interface Adopter {
        void adopt(SocketChannel channel, SelectionKey key, WebSocketLayer layer, long now);
    }

    static final String WEBSOCKET_PATH = ListenerSettings.DEFAULT_WEBSOCKET_PATH;

    private final Map<Long, HttpExchange> open = new HashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final Scratch webSocketScratch = new Scratch();
    private final Selector selector;
    private final Timers<Object> timers;
    private final HttpSettings settings;
    private final Api api;
    private final Adopter adopter;
    private final int maximumPacketSize;
    private final BrokerLog log;
    /** The password file's check (the core's), or null for none: then no credentials are asked for. */
    private final Supplier<PasswordCheck> passwords;
    private long nextId = 1;

    HttpConnections(Selector selector, Timers<Object> timers, HttpSettings settings, Api api, Adopter adopter,
                    int maximumPacketSize, BrokerLog log, Supplier<PasswordCheck> passwords) {
        this.passwords = passwords;
        this.selector = selector;
        this.timers = timers;
        this.settings = settings;
        this.api = api;
        this.adopter = adopter;
        this.maximumPacketSize = maximumPacketSize;
        this.log = log;
    }

    int size() {
        return open.size();
    }

    void accept(SocketChannel channel, long now) {
        if (open.size() >= settings.maxConnections()) {
            refuseBusy(channel);
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            HttpExchange exchange = new HttpExchange(nextId++, channel, key);
            key.attach(exchange);
            open.put(exchange.id, exchange);
            timers.schedule(new Deadline(exchange.id), now + settings.requestTimeoutMillis());
        } catch (IOException | RuntimeException e) {
            log.error("could not set up an HTTP socket from " + Connection.remoteOf(channel), e);
            Connections.closeQuietly(channel);
        }
    }

    /** 503 in one try, without waiting, then the close: the limit holds whatever the client does. */
    private void refuseBusy(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            HttpResponse busy = HttpResponse.error(503, "more than " + settings.maxConnections()
                    + " HTTP connections are open; try again later").closing();
            channel.write(new ByteBuffer[] {ByteBuffer.wrap(busy.head(1, false, System.currentTimeMillis())),
                    ByteBuffer.wrap(busy.body())});
        } catch (IOException ignored) {
            // the socket closes next either way
        }
        Connections.closeQuietly(channel);
    }

    /** The socket of {@code exchange} is ready. */
    void ready(HttpExchange exchange, int readyOps, long now) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            write(exchange, now);
        }
        if (exchange.closed || exchange.answering) {
            return;
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            read(exchange, now);
        } else {
            serve(exchange, now);   // an answer just went out: a pipelined request may be waiting
        }
    }

    private void read(HttpExchange exchange, long now) {
        boolean wasIdle = !exchange.reader.holdsBytes();
        readBuffer.clear();
        int count;
        try {
            count = exchange.channel.read(readBuffer);
        } catch (IOException e) {
            close(exchange);
            return;
        }
        if (count < 0) {
            close(exchange);
            return;
        }
        readBuffer.flip();
        exchange.reader.feed(readBuffer);
        if (wasIdle && exchange.reader.holdsBytes()) {
            // a new request began: it has the request timeout to arrive whole
            timers.schedule(new Deadline(exchange.id), now + settings.requestTimeoutMillis());
        }
        serve(exchange, now);
    }

    /** Answers the requests the exchange holds, one after the other, while each answer goes out at once. */
    private void serve(HttpExchange exchange, long now) {
        while (!exchange.closed && !exchange.answering) {
            RequestReader.Result next = exchange.reader.next();
            if (next == null) {
                break;
            }
            serveOne(exchange, next, now);
        }
        interest(exchange);
    }

    private void serveOne(HttpExchange exchange, RequestReader.Result next, long now) {
        if (next instanceof RequestReader.Refused refused) {
            log.connection("bad HTTP request from " + Connection.remoteOf(exchange.channel) + ": " + refused.status()
                    + " " + refused.reason());
            answer(exchange, HttpResponse.error(refused.status(), refused.reason()).closing(), 1, false, false, now);
        } else if (next instanceof RequestReader.Complete complete) {
            HttpRequest request = complete.request();
            if (request.upgradesToWebSocket()) {
                upgrade(exchange, request, now);
                return;
            }
            HttpResponse response;
            try {
                response = BasicAuth.check(request, passwords.get());
                if (response == null) {
                    response = api.handle(request);
                }
            } catch (RuntimeException e) {
                log.error("HTTP API failed on " + request.method() + " " + request.path(), e);
                response = HttpResponse.error(500, "internal error: " + e).closing();
            }
            answer(exchange, response, request.minorVersion(), request.keepAlive(), request.method().equals("HEAD"), now);
        }
    }

    private void answer(HttpExchange exchange, HttpResponse response, int minorVersion, boolean keepAlive,
                        boolean headOnly, long now) {
        exchange.answering = true;
        exchange.closeAfter = !response.persistent(minorVersion, keepAlive);
        exchange.out.add(ByteBuffer.wrap(response.head(minorVersion, keepAlive, System.currentTimeMillis())));
        if (!headOnly && response.body() != null) {
            exchange.out.add(ByteBuffer.wrap(response.body()));
        } else if (!headOnly) {
            exchange.stream = response.stream();
            exchange.chunked = HttpResponse.chunked(minorVersion);
        }
        write(exchange, now);
    }

    /**
     * Writes what is pending and pulls more of a streamed body while the socket takes it. Once
     * the answer is out, the connection closes or waits for its next request.
     */
    private void write(HttpExchange exchange, long now) {
        try {
            while (true) {
                ByteBuffer bytes = exchange.out.bytes();
                while (bytes.hasRemaining()) {
                    if (exchange.channel.write(bytes) == 0) {
                        timers.schedule(new Deadline(exchange.id), now + settings.idleTimeoutMillis());
                        interest(exchange);
                        return;
                    }
                }
                exchange.out.releaseIfEmpty();
                if (exchange.stream == null) {
                    break;
                }
                byte[] piece = exchange.stream.next();
                if (piece == null) {
                    exchange.stream = null;
                    if (exchange.chunked) {
                        exchange.out.add(ByteBuffer.wrap(HttpResponse.chunk(new byte[0])));
                    }
                } else if (piece.length > 0) {
                    exchange.out.add(ByteBuffer.wrap(exchange.chunked ? HttpResponse.chunk(piece) : piece));
                }
            }
        } catch (IOException e) {
            close(exchange);
            return;
        }
        if (exchange.answering) {
            answered(exchange, now);
        }
    }

    private void answered(HttpExchange exchange, long now) {
        exchange.answering = false;
        if (exchange.closeAfter) {
            close(exchange);
            return;
        }
        timers.schedule(new Deadline(exchange.id), now + (exchange.reader.holdsBytes()
                ? settings.requestTimeoutMillis() : settings.idleTimeoutMillis()));
        interest(exchange);
    }

    /** {@code GET /mqtt} with {@code Upgrade: websocket}: the WebSocket layer answers it, and MQTT takes the socket. */
    private void upgrade(HttpExchange exchange, HttpRequest request, long now) {
        if (!request.path().equals(WEBSOCKET_PATH)) {
            answer(exchange, HttpResponse.error(404, "MQTT over WebSocket is served at " + WEBSOCKET_PATH)
                    .closing(), request.minorVersion(), false, false, now);
            return;
        }
        if (exchange.reader.heldBytes() > 0) {
            answer(exchange, HttpResponse.error(400, "bytes after the upgrade request: a WebSocket client waits"
                    + " for the server's answer first (RFC 6455 4.1)").closing(), 1, false, false, now);
            return;
        }
        WebSocketLayer layer = new WebSocketLayer(WEBSOCKET_PATH, maximumPacketSize, webSocketScratch);
        layer.receive(ByteBuffer.wrap(request.head()));
        if (!layer.established()) {
            // the layer's refusal (400, 426, ...) is an HTTP response already
            exchange.answering = true;
            exchange.closeAfter = true;
            exchange.out.add(layer.outbound().bytes());
            write(exchange, now);
            return;
        }
        open.remove(exchange.id);
        timers.cancel(new Deadline(exchange.id));
        adopter.adopt(exchange.channel, exchange.key, layer, now);
    }

    /** A deadline passed: an incomplete request gets 408; an idle connection or a stalled write is closed. */
    void deadline(Deadline deadline, long now) {
        HttpExchange exchange = open.get(deadline.exchange());
        if (exchange == null || exchange.closed) {
            return;
        }
        if (!exchange.answering && exchange.reader.holdsBytes()) {
            log.connection("HTTP request from " + Connection.remoteOf(exchange.channel) + " not complete within "
                    + settings.requestTimeoutMillis() + " ms");
            answer(exchange, HttpResponse.error(408, "the request did not arrive within "
                    + settings.requestTimeoutMillis() + " ms").closing(), 1, false, false, now);
            if (exchange.answering) {
                close(exchange);   // one try at the 408; a client that does not read it is not waited for
            }
            return;
        }
        close(exchange);
    }

    private void interest(HttpExchange exchange) {
        if (exchange.closed || !exchange.key.isValid()) {
            return;
        }
        int ops = exchange.hasOutput() ? SelectionKey.OP_WRITE : exchange.answering ? 0 : SelectionKey.OP_READ;
        if (exchange.key.interestOps() != ops) {
            exchange.key.interestOps(ops);
        }
    }

    private void close(HttpExchange exchange) {
        if (exchange.closed) {
            return;
        }
        exchange.closed = true;
        exchange.stream = null;
        exchange.key.cancel();
        Connections.closeQuietly(exchange.channel);
        open.remove(exchange.id);
        timers.cancel(new Deadline(exchange.id));
    }

    /** The broker stops: every HTTP connection closes, answered or not. */
    void closeAll() {
        for (HttpExchange exchange : new ArrayList<>(open.values())) {
            close(exchange);
        }
    }
}
