package io.checkedmqtt.broker.http;

import io.checkedmqtt.core.auth.PasswordCheck;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * HTTP Basic authentication (RFC 7617) against the broker's password file: with a password file
 * configured, every request must carry {@code Authorization: Basic base64(user:password)} of a user
 * in it, or gets {@code 401} with a challenge; without one, the listener is open (it binds
 * 127.0.0.1 unless told otherwise). The password check is the core's, the same that CONNECT uses.
 */
public final class BasicAuth {

    static final String CHALLENGE = "Basic realm=\"checked-mqtt\", charset=\"UTF-8\"";

    private BasicAuth() {
    }

    /** Null when the request may pass; otherwise the 401 answer. */
    public static HttpResponse check(HttpRequest request, PasswordCheck passwords) {
        if (passwords == null) {
            return null;
        }
        String header = request.header("authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(header.substring(6).strip());
            } catch (IllegalArgumentException e) {
                decoded = new byte[0];
            }
            int colon = indexOf(decoded, (byte) ':');
            if (colon > 0) {
                String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
                byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
                if (passwords.matches(user, password)) {
                    return null;
                }
            }
        }
        return HttpResponse.error(401, "a user name and password of the broker's password file are needed")
                .header("WWW-Authenticate", CHALLENGE);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
