package io.checkedmqtt.broker;

import io.checkedmqtt.broker.http.HttpResponse;
import io.checkedmqtt.broker.http.RequestReader;
import io.checkedmqtt.broker.layer.Outbound;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * What the loop keeps for one HTTP connection: the request bytes read so far, the response bytes
 * not yet written, and the rest of a streamed body. One request is answered at a time; while an
 * answer is being written, the socket is not read (a pipelining client waits in its own buffers).
 */
final class HttpExchange {

    final long id;
    final SocketChannel channel;
    final SelectionKey key;
    final RequestReader reader = new RequestReader();
    final Outbound out = new Outbound();

    /** The rest of a streamed body, or null. */
    HttpResponse.Body stream;
    /** The streamed body goes out in chunks (HTTP/1.1), else until the close (HTTP/1.0). */
    boolean chunked;
    /** An answer is being written: its head, body, or stream are not all out yet. */
    boolean answering;
    /** Close once the answer is out. */
    boolean closeAfter;
    boolean closed;

    HttpExchange(long id, SocketChannel channel, SelectionKey key) {
        this.id = id;
        this.channel = channel;
        this.key = key;
    }

    /** Whether anything waits for the socket: bytes, or more of a streamed body. */
    boolean hasOutput() {
        return !out.isEmpty() || stream != null;
    }
}
