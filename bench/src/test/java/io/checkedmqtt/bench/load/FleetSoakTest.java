package io.checkedmqtt.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.UnixOperatingSystemMXBean;
import io.checkedmqtt.broker.Main;
import io.checkedmqtt.core.broker.BrokerCore;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's C100K run at the size this machine allows ({@code mvn -Psoak}): the broker in a process
 * of its own, started as {@code java -jar} starts it, and the {@code fleet} scenario from this JVM
 * with {@code -Dfleet.clients=N} clients (default 100,000) over {@code -Dfleet.sources=K} source
 * addresses (default 4). Each process may hold only as many sockets as its open-file limit allows,
 * so N is lowered to that limit less 64, and the run says so. Prints the load tool's report and
 * the broker's heap after a full GC taken while the fleet is held.
 */
class FleetSoakTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    @Tag("soak")
    @DisplayName("soak: a fleet of 3.1.1 and 5.0 clients, Keep Alive 60, all subscribed, one QoS 1 message to all, clean disconnects")
    void fleet() throws Exception {
        final long limit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        final int wanted = Integer.getInteger("fleet.clients", 100_000);
        final int clients = (int) Math.min(wanted, limit - 64);
        if (clients < wanted) {
            System.out.printf("[fleet] %,d clients asked for; the open-file limit of %,d per process allows %,d%n",
                    wanted, limit, clients);
        }
        final Path log = Files.createTempFile("fleet-broker", ".log");
        final Process broker = startBroker(log);
        try {
            final int port = portOf(broker, log);
            final Thread heap = new Thread(() -> printHeapWhenHeld(broker.pid(), clients));
            heap.start();
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            final Options options = Options.parse(List.of("fleet", "-n", Integer.toString(clients),
                    "--port", Integer.toString(port), "--broker-pid", Long.toString(broker.pid()),
                    "--source-addresses", Integer.getInteger("fleet.sources", 4).toString(), "--keepalive", "60",
                    "--hold", "10", "--setup-timeout", "900", "--drain", "120", "--quiet"));
            final int status = new FleetRun(options, out, out).run();
            heap.join();
            final String report = bytes.toString(StandardCharsets.UTF_8);
            System.out.print(report.replaceAll("(?m)^", "[fleet] "));
            assertEquals(0, status, report);
        } finally {
            broker.destroy();
            broker.waitFor();
            Files.deleteIfExists(log);
        }
    }

    private static Process startBroker(final Path log) throws Exception {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPathOf(Main.class) + File.pathSeparator + classPathOf(BrokerCore.class),
                Main.class.getName(), "--port", "0", "--quiet"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String classPathOf(final Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static int portOf(final Process broker, final Path log) throws Exception {
        final long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end && broker.isAlive()) {
            final Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new IOException("the broker did not listen:\n" + Files.readString(log));
    }

    /** Once the broker holds the fleet's sockets: a full GC in it, and the heap that leaves. */
    private static void printHeapWhenHeld(final long pid, final int clients) {
        try {
            final long end = System.nanoTime() + 900_000_000_000L;
            while (System.nanoTime() < end) {
                final String[] fds = new File("/proc/" + pid + "/fd").list();
                if (fds == null) {
                    return;
                }
                if (fds.length >= clients) {
                    break;
                }
                Thread.sleep(200);
            }
            Thread.sleep(2_000);
            final String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
            final Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true)
                    .start();
            final String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor();
            final Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(text);
            if (used.find()) {
                System.out.printf("[fleet] broker heap after a full GC with the fleet held: %s KiB used of %s KiB%n",
                        used.group(2), used.group(1));
            }
        } catch (IOException | InterruptedException e) {
            System.out.println("[fleet] no heap figure: " + e);
        }
    }
}
