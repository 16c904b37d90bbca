package io.checkedmqtt.broker.clienttest;

import io.checkedmqtt.core.config.ClientPatterns;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traces of the traced client identifiers, made on first use and kept while the broker runs:
 * the {@value #MAX_TRACES} used most recently (an older one is closed; its file stays). The
 * patterns of who is traced can change at run time. Used on the loop thread; {@link #lines} may
 * be called from any.
 */
public final class Traces {

    static final int MAX_TRACES = 1_000;

    private final Path directory;
    private final long maxBytes;
    private final int maxLines;
    private volatile ClientPatterns patterns;
    /** Traces with lines not yet flushed to their file (loop thread only). */
    private final List<ClientTrace> dirty = new ArrayList<>();
    private final Map<String, ClientTrace> byClient = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ClientTrace> eldest) {
            if (size() > MAX_TRACES) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    public Traces(ClientTestSettings settings) {
        this.directory = settings.traceDirectory();
        this.maxBytes = settings.traceMaxBytes();
        this.maxLines = settings.traceLines();
        this.patterns = settings.traceClients();
    }

    public boolean traces(String clientId) {
        return patterns.matches(clientId);
    }

    public ClientPatterns patterns() {
        return patterns;
    }

    public void patterns(ClientPatterns value) {
        patterns = value;
    }

    /** Whether any client is traced: only then do connections keep their packets from before CONNECT is accepted. */
    public boolean armed() {
        return !patterns.isEmpty();
    }

    /** The trace of a traced client, made (and its file started) on first use. */
    public ClientTrace of(String clientId) {
        synchronized (byClient) {
            return byClient.computeIfAbsent(clientId, id -> new ClientTrace(
                    directory == null ? null : directory.resolve(SafeFileName.of(id) + ".trace"), maxBytes, maxLines,
                    dirty::add));
        }
    }

    /** The lines of a client's trace in memory, oldest first; empty when it was never traced. */
    public List<String> lines(String clientId) {
        ClientTrace t;
        synchronized (byClient) {
            t = byClient.get(clientId);
        }
        return t == null ? List.of() : t.lines();
    }

    /** Writes what the traces buffered to their files (once per loop pass; nothing to do when none did). */
    public void flush() {
        if (dirty.isEmpty()) {
            return;
        }
        for (ClientTrace t : dirty) {
            t.flush();
        }
        dirty.clear();
    }

    public void close() {
        synchronized (byClient) {
            for (ClientTrace t : byClient.values()) {
                t.close();
            }
        }
    }
}
