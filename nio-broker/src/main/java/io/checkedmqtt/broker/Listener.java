package io.checkedmqtt.broker;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * One listening socket and the transport its connections speak: plain MQTT on 1883, and later
 * TLS, WebSocket or both on ports of their own. One loop serves any number of listeners; every
 * connection, whichever listener accepted it, becomes the same MQTT byte stream for the core.
 * A listener for something other than MQTT (an HTTP dashboard) would be another kind of
 * listener whose accepted sockets the loop hands to a handler of their own instead of the core.
 */
final class Listener {

    private final String name;
    private final ServerSocketChannel server;
    private final InetSocketAddress address;
    private final Transport.Factory transports;
    private SelectionKey key;

    private Listener(String name, ServerSocketChannel server, InetSocketAddress address, Transport.Factory transports) {
        this.name = name;
        this.server = server;
        this.address = address;
        this.transports = transports;
    }

    /**
     * Binds a non-blocking listening socket on the calling thread, so a port in use fails right
     * there with a {@link java.net.BindException}.
     *
     * @param name       what the log calls it (for example {@code mqtt})
     * @param transports the transport of each accepted socket
     */
    static Listener bind(String name, InetSocketAddress address, Transport.Factory transports) throws IOException {
        // an IPv4 address gets an IPv4 socket: a dual-stack one would take the same clients as
        // IPv4-mapped IPv6 peers, with the kernel's IPv6 socket bookkeeping for each of them
        ServerSocketChannel server = address.getAddress() instanceof Inet4Address
                ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                : ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                server.bind(address, 1024);
            } catch (java.net.BindException e) {
                // which of several listeners failed: the JDK's message names no address
                throw new java.net.BindException(address.getAddress().getHostAddress() + ":" + address.getPort()
                        + " (" + name + "): " + e.getMessage());
            }
            server.configureBlocking(false);
            return new Listener(name, server, (InetSocketAddress) server.getLocalAddress(), transports);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Starts accepting through {@code selector}; the key's attachment is this listener. */
    void register(Selector selector) throws IOException {
        key = server.register(selector, SelectionKey.OP_ACCEPT, this);
    }

    /** What the log calls it: {@code mqtt}, {@code mqtts}, {@code ws}, {@code wss}. */
    String name() {
        return name;
    }

    /** The address it is bound to; the port chosen when it was asked for port 0. */
    InetSocketAddress address() {
        return address;
    }

    /** The next pending connection, or null when none is waiting. */
    SocketChannel accept() throws IOException {
        return server.accept();
    }

    /** The transport for a socket this listener accepted. */
    Transport transportFor(SocketChannel socket) throws IOException {
        return transports.open(socket);
    }

    /** Stops selecting for accepts (after accept failed, until {@link #resumeAccepting}). */
    void pauseAccepting() {
        key.interestOps(0);
    }

    void resumeAccepting() {
        if (key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // the port is released either way
        }
    }

    @Override
    public String toString() {
        return name + " " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
