package io.checkedmqtt.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's {@code mosquitto} and {@code mosquitto-clients} programs, for tests that check this
 * broker against files and clients of the real thing. {@code .ci/run} installs them; a test that
 * needs one and does not find it is skipped with a message saying so.
 */
public final class MosquittoTools {

    private MosquittoTools() {
    }

    /** The program's path, or a skipped test naming the package to install. */
    public static Path require(String program, String debianPackage) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        assumeTrue(false, program + " is not installed (apt-get install " + debianPackage
                + "; .ci/run does this): skipping the test against the real Mosquitto");
        return null;
    }

    /** Runs a program to completion (at most 30 s) and returns its standard output; fails on a non-zero exit. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in 30 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** Adds {@code user} with {@code password} to {@code file} with the real mosquitto_passwd, hashing with {@code -H}. */
    public static void addUser(Path file, String hashType, String user, String password)
            throws IOException, InterruptedException {
        Path tool = require("mosquitto_passwd", "mosquitto");
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        run(List.of(tool.toString(), "-H", hashType, "-b", file.toString(), user, password));
    }
}
