package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.ScramCredential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;

/**
 * Prints one line of a SCRAM-SHA-256 credentials file ({@link ScramFile}) for a user, reading
 * the password from the first line of standard input so it never appears in a process list:
 * <pre>
 *   echo 'pencil' | java -jar checked-mqtt-broker.jar --scram-entry user >> scram.txt
 * </pre>
 * The salt is 16 fresh random bytes; the iteration count is 4096 (RFC 7677's minimum) unless a
 * second argument gives another.
 */
public final class ScramEntryTool {

    private ScramEntryTool() {
    }

    /** Prints the line for {@code args} = USER [ITERATIONS]; returns the exit code (2 for bad arguments). */
    public static int run(String[] args, BufferedReader in, PrintStream out, PrintStream err) throws IOException {
        if (args.length < 1 || args.length > 2 || args[0].isEmpty() || args[0].contains(":")) {
            err.println("usage: ScramEntryTool USER [ITERATIONS] < password   (USER without ':')");
            return 2;
        }
        int iterations = ScramCredential.RECOMMENDED_ITERATIONS;
        if (args.length == 2) {
            try {
                iterations = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                iterations = 0;
            }
            if (iterations < 1) {
                err.println("ITERATIONS must be a positive whole number, was " + args[1]);
                return 2;
            }
        }
        String password = in.readLine();
        if (password == null) {
            err.println("no password on standard input");
            return 2;
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        out.println(ScramFile.entry(args[0], password, salt, iterations));
        return 0;
    }
}
