package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.http.HttpResponse;
import io.checkedmqtt.broker.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A page of a list as a streamed JSON body: {@code {"total": N, "offset": O, "limit": L, "NAME": [...]}},
 * written about {@link #PIECE} characters at a time as the client reads. Each row is written from
 * its item when its piece is made; the items (and the core state the writer reads them from) were
 * taken when the request came, so a slow client holds them, not the loop.
 */
final class Listing<T> implements HttpResponse.Body {

    static final int PIECE = 32 * 1024;

    private final Json json = new Json();
    private final List<T> rows;
    private final BiConsumer<Json, T> writeRow;
    private int next;
    private boolean done;

    /**
     * @param all      every row, in order
     * @param offset   the first row of the page
     * @param limit    at most this many rows
     * @param name     the member that holds the page's rows
     * @param writeRow writes one row as a JSON value
     */
    Listing(List<T> all, int offset, int limit, String name, BiConsumer<Json, T> writeRow) {
        int from = Math.min(offset, all.size());
        this.rows = all.subList(from, Math.min(all.size(), from + limit));
        this.writeRow = writeRow;
        json.object().field("total", all.size()).field("offset", offset).field("limit", limit).name(name).array();
    }

    @Override
    public byte[] next() {
        if (done) {
            return null;
        }
        while (next < rows.size() && json.length() < PIECE) {
            writeRow.accept(json, rows.get(next++));
        }
        if (next == rows.size()) {
            json.end().end();
            done = true;
        }
        return json.take().getBytes(StandardCharsets.UTF_8);
    }
}
