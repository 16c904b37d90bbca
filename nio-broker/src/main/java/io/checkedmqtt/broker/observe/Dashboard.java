package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard: static HTML, CSS and JavaScript shipped in the jar (no CDN, no build step), read
 * once at start. The page reads the JSON API and, for its live view, speaks MQTT over WebSocket to
 * {@code /mqtt} on the same port, so the core routes to it like to any other client.
 */
final class Dashboard {

    /** Content-Security-Policy: only the broker's own files, and WebSocket connections back to it. */
    static final String POLICY = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/dashboard.css", "dashboard.css",
            "/dashboard.js", "dashboard.js",
            "/mqtt-client.js", "mqtt-client.js",
            "/live-view.js", "live-view.js",
            "/favicon.svg", "favicon.svg");

    private final Map<String, byte[]> content;

    Dashboard() {
        content = Map.of(
                "index.html", read("index.html"),
                "dashboard.css", read("dashboard.css"),
                "dashboard.js", read("dashboard.js"),
                "mqtt-client.js", read("mqtt-client.js"),
                "live-view.js", read("live-view.js"),
                "favicon.svg", read("favicon.svg"));
    }

    /** The file served at {@code path}, or null when there is none. */
    HttpResponse file(String path) {
        String name = FILES.get(path);
        if (name == null) {
            return null;
        }
        return HttpResponse.of(200, contentType(name), content.get(name))
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff");
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/javascript; charset=utf-8";
    }

    private static byte[] read(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the dashboard file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
