package io.checkedmqtt.broker.observe;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol (a WebSocket of JSON messages) with the
 * JDK's own WebSocket client: navigate, evaluate JavaScript in the page, wait for a condition,
 * take a screenshot. No Selenium, no driver binary. {@link #launch} skips the calling test with a
 * message when no Chromium is installed (Debian: {@code apt-get install chromium}; {@code .ci/run}
 * installs it).
 */
final class Chromium implements AutoCloseable {

    /** Flags that work on a headless Linux machine without a display, sandbox or network. */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--remote-debugging-port=0", "--remote-allow-origins=*",
            "--window-size=1280,900");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> waiting = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket, Receiver receiver) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        receiver.owner = this;
    }

    /** The installed browser, or null: {@code chromium} (Debian), {@code chromium-browser}, {@code google-chrome}. */
    static String binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, name);
                if (candidate.canExecute()) {
                    return candidate.getPath();
                }
            }
        }
        return null;
    }

    static Chromium launch() throws Exception {
        String binary = binary();
        Assumptions.assumeTrue(binary != null, "Chromium is not installed, so the dashboard is not tested in a"
                + " browser: install Debian's chromium and chromium-driver (.ci/run does)");
        Path profile = Files.createTempDirectory("checked-mqtt-chromium");
        List<String> command = new java.util.ArrayList<>();
        command.add(binary);
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String page = null;
            for (Object target : (List<?>) JsonReader.parse(targets)) {
                if ("page".equals(JsonReader.at(target, "type"))) {
                    page = (String) JsonReader.at(target, "webSocketDebuggerUrl");
                }
            }
            Receiver receiver = new Receiver();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), receiver).get(10, TimeUnit.SECONDS);
            Chromium chromium = new Chromium(process, profile, socket, receiver);
            chromium.call("Page.enable", "{}");
            return chromium;
        } catch (Exception | Error e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /** Sends one DevTools command and waits for its result. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String method, String paramsJson) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true);
        Map<String, Object> message = answer.get(30, TimeUnit.SECONDS);
        if (message.containsKey("error")) {
            throw new IllegalStateException(method + ": " + message.get("error"));
        }
        return (Map<String, Object>) JsonReader.at(message, "result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", "{\"url\":" + quote(url) + "}");
    }

    /** Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value. */
    Object evaluate(String expression) throws Exception {
        Map<String, Object> result = call("Runtime.evaluate", "{\"expression\":" + quote(expression)
                + ",\"returnByValue\":true,\"awaitPromise\":true}");
        if (result.containsKey("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + result.get("exceptionDetails"));
        }
        return JsonReader.at(result, "result", "value");
    }

    /** Waits until the JavaScript {@code condition} is true in the page; fails with {@code what} after the timeout. */
    void waitFor(String what, String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object value = evaluate("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()");
            if (Boolean.TRUE.equals(value)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not show " + what + " within " + timeout.toSeconds()
                        + " s; it shows: " + evaluate("document.body.innerText"));
            }
            Thread.sleep(100);
        }
    }

    /** The page as it looks now, as a PNG file. */
    void screenshot(Path file) throws Exception {
        Map<String, Object> result = call("Page.captureScreenshot", "{\"format\":\"png\",\"captureBeyondViewport\":true}");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode((String) result.get("data")));
    }

    /** Lays the page out as on a phone screen (or back to the window with {@code width} 0). */
    void emulatePhone(boolean phone) throws Exception {
        call("Emulation.setDeviceMetricsOverride", phone
                ? "{\"width\":390,\"height\":844,\"deviceScaleFactor\":2,\"mobile\":true}"
                : "{\"width\":0,\"height\":0,\"deviceScaleFactor\":0,\"mobile\":false}");
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendText("{\"id\":0,\"method\":\"Browser.close\",\"params\":{}}", true);
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // killed below either way
        } finally {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Collects each message's text frames and completes the command it answers. */
    private static final class Receiver implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> message = JsonReader.object(text.toString());
                text.setLength(0);
                Object id = message.get("id");
                if (id instanceof Long n && owner != null) {
                    CompletableFuture<Map<String, Object>> answer = owner.waiting.remove(n.intValue());
                    if (answer != null) {
                        answer.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
