package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.PasswordCheck;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mosquitto {@code password_file}: {@code username:hash} lines as {@code mosquitto_passwd}
 * writes them ({@link PasswordHash}), {@code #} comment lines and blank lines. The user name is
 * everything before the first {@code :}, the hash everything after it, each without surrounding
 * blanks. A line that is not one of these, a hash that does not parse, or a user named twice is
 * an error naming its line: the whole file is refused (at start the broker does not start; on a
 * reload the rules in force stay). Mosquitto 2.0 drops such an entry with a warning instead.
 *
 * <p>This is the {@link PasswordCheck} the core asks at CONNECT: an immutable snapshot of the
 * file; verifying a {@code $7$} password costs about 80 µs on the loop thread.
 */
public final class PasswordFile implements PasswordCheck {

    private final Map<String, PasswordHash> users;

    private PasswordFile(Map<String, PasswordHash> users) {
        this.users = Map.copyOf(users);
    }

    public static PasswordFile parse(List<String> lines, String source) throws AuthFileException {
        Map<String, PasswordHash> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw AuthFileException.at(source, i + 1, "expected username:hash");
            }
            String user = line.substring(0, colon).strip();
            if (user.isEmpty()) {
                throw AuthFileException.at(source, i + 1, "empty user name");
            }
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw AuthFileException.at(source, i + 1, "user " + user + ": " + e.getMessage());
            }
            if (users.putIfAbsent(user, hash) != null) {
                throw AuthFileException.at(source, i + 1, "user " + user + " is listed twice");
            }
        }
        return new PasswordFile(users);
    }

    public int size() {
        return users.size();
    }

    @Override
    public boolean matches(String username, byte[] password) {
        PasswordHash hash = users.get(username);
        return hash != null && hash.matches(password);
    }
}
