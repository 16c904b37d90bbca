package io.checkedmqtt.core.config;

import java.util.List;
import java.util.Objects;

/**
 * A set of glob patterns on client identifiers, as {@code trace_clients device-*} writes them:
 * {@code *} stands for any run of characters (none included), {@code ?} for exactly one, and
 * every other character for itself. {@code device-*} matches {@code device-1} and
 * {@code device-}, not {@code sensor-device-1}; {@code *} matches every identifier, the empty
 * one too.
 *
 * @param globs the patterns, in the order they were given
 */
public record ClientPatterns(List<String> globs) {

    /** Matches no client. */
    public static final ClientPatterns NONE = new ClientPatterns(List.of());
    /** Matches every client. */
    public static final ClientPatterns ALL = new ClientPatterns(List.of("*"));

    public ClientPatterns {
        globs = List.copyOf(globs);
        for (String glob : globs) {
            Objects.requireNonNull(glob, "glob");
        }
    }

    public static ClientPatterns of(String... globs) {
        return new ClientPatterns(List.of(globs));
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /** These patterns and {@code glob} (unchanged when it is among them already). */
    public ClientPatterns with(String glob) {
        if (globs.contains(glob)) {
            return this;
        }
        List<String> more = new java.util.ArrayList<>(globs);
        more.add(glob);
        return new ClientPatterns(more);
    }

    /** Whether any pattern matches the whole of {@code clientId}. */
    public boolean matches(String clientId) {
        for (String glob : globs) {
            if (globMatches(glob, clientId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code glob} matches all of {@code text}: a left-to-right scan that remembers the
     * last {@code *} and, on a mismatch, lets it swallow one more character. No recursion, and
     * at most glob length x text length steps.
     */
    static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))
                    && glob.charAt(g) != '*') {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                starText = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return String.join(" ", globs);
    }
}
