package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.BrokerSettings;
import io.checkedmqtt.broker.ConfigFile;
import io.checkedmqtt.broker.auth.PasswordHash;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a password file, the HTTP listener asks for Basic credentials of a user in it; MQTT over its WebSocket keeps MQTT's own. */
class HttpAuthTest {

    @TempDir
    Path dir;

    private HttpResponse<String> get(ObservedBroker b, String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(b.httpBase + path));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return b.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("password file: no or wrong credentials get 401 with a Basic challenge, a user of the file gets the API and the dashboard")
    void basicAuthFromThePasswordFile() throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "admin:" + PasswordHash.pbkdf2("pässword".getBytes(StandardCharsets.UTF_8),
                "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 101).encoded() + "\n");
        BrokerSettings fromFile = ConfigFile.parse("password_file " + file + "\n", BrokerSettings.defaults());
        try (ObservedBroker b = new ObservedBroker(s -> s.auth(fromFile.auth()))) {
            HttpResponse<String> none = get(b, "/api/v1/summary", null);
            assertEquals(401, none.statusCode());
            assertEquals("Basic realm=\"checked-mqtt\", charset=\"UTF-8\"",
                    none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401L, JsonReader.at(JsonReader.parse(none.body()), "status"));
            assertEquals(401, get(b, "/api/v1/summary", "admin:wrong").statusCode());
            assertEquals(401, get(b, "/api/v1/summary", "nobody:pässword").statusCode());
            assertEquals(401, get(b, "/metrics", "admin").statusCode());
            assertEquals(200, get(b, "/api/v1/summary", "admin:pässword").statusCode());
            assertEquals(200, get(b, "/metrics", "admin:pässword").statusCode());
            assertEquals(401, get(b, "/", null).statusCode(), "the dashboard too: the browser asks for the password");
            assertEquals(200, get(b, "/", "admin:pässword").statusCode());
            try (RawHttp ws = new RawHttp(b.httpPort())) {
                RawHttp.Response upgrade = ws.send("GET /mqtt HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                        + "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n").readHead();
                assertEquals(101, upgrade.status(), "MQTT over WebSocket: the CONNECT carries the credentials");
                assertTrue(upgrade.header("sec-websocket-accept").equals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
            }
        }
    }

    @Test
    @DisplayName("no password file: the listener asks for nothing")
    void openWithoutPasswordFile() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            assertEquals(200, get(b, "/api/v1/summary", null).statusCode());
            assertEquals(200, get(b, "/api/v1/summary", "any:thing").statusCode());
        }
    }
}
