package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.AccessControlList;
import io.checkedmqtt.core.auth.AclRule;
import io.checkedmqtt.core.auth.Permission;

import java.util.List;

/**
 * Reads a Mosquitto {@code acl_file} into the core's {@link AccessControlList}:
 * <pre>
 *   # comment
 *   topic [read|write|readwrite|deny] FILTER     anonymous clients, until the first user line
 *   user NAME                                    the topic lines after it are NAME's
 *   topic [read|write|readwrite|deny] FILTER
 *   pattern [read|write|readwrite|deny] FILTER   every client; %c and %u levels are its id and user name
 * </pre>
 * Without the access word a line grants {@code readwrite}; so {@code topic read} alone is the
 * topic named "read", as in Mosquitto. The filter is the rest of the line and may contain
 * spaces. Anything else (an unknown keyword, an unknown access word, an invalid filter, a
 * {@code user} line without a name) is an error naming its line, and the whole file is refused,
 * as Mosquitto 2.0 refuses to start with it.
 */
public final class AclFile {

    private AclFile() {
    }

    public static AccessControlList parse(List<String> lines, String source) throws AuthFileException {
        AccessControlList.Builder acl = AccessControlList.builder();
        String user = null;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] first = splitWord(line);
            String keyword = first[0];
            String rest = first[1];
            switch (keyword) {
                case "user" -> {
                    if (rest.isEmpty()) {
                        throw AuthFileException.at(source, number, "user line without a user name");
                    }
                    user = rest;
                }
                case "topic" -> acl.topic(user, rule(rest, source, number));
                case "pattern" -> acl.pattern(rule(rest, source, number));
                default -> throw AuthFileException.at(source, number,
                        "unknown keyword '" + keyword + "' (expected topic, pattern or user)");
            }
        }
        return acl.build();
    }

    private static AclRule rule(String rest, String source, int number) throws AuthFileException {
        if (rest.isEmpty()) {
            throw AuthFileException.at(source, number, "no topic filter");
        }
        String[] parts = splitWord(rest);
        Permission permission = Permission.READWRITE;
        String filter = rest;
        if (!parts[1].isEmpty()) {
            permission = Permission.fromWord(parts[0]);
            if (permission == null) {
                throw AuthFileException.at(source, number,
                        "unknown access '" + parts[0] + "' (expected read, write, readwrite or deny)");
            }
            filter = parts[1];
        }
        try {
            return new AclRule(permission, filter); // the core checks the filter
        } catch (IllegalArgumentException e) {
            throw AuthFileException.at(source, number, "invalid topic filter '" + filter + "'");
        }
    }

    /** The first word of {@code text} and the rest without its leading blanks. */
    private static String[] splitWord(String text) {
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return new String[]{text.substring(0, end), text.substring(end).strip()};
    }
}
