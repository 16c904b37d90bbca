package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc/PID} tells about the broker under test: its resident set size and
 * the CPU time it has used, all its threads together (a JVM's compiler and GC threads included).
 * Every reading is -1 when unknown (no pid given, not Linux, process gone).
 */
final class BrokerProcess {
    /** {@code /proc/PID/stat} counts CPU time in ticks of {@code USER_HZ}, which is 100 on Linux. */
    private static final long MILLIS_PER_TICK = 10;

    private BrokerProcess() {
    }

    /** Resident set size in KiB, from the {@code VmRSS} line of {@code /proc/PID/status}. */
    static long rssKibibytes(final long pid) {
        final String status = read(pid, "status");
        return status == null ? -1 : parseRss(status);
    }

    /** User plus system CPU time in milliseconds, from {@code /proc/PID/stat}. */
    static long cpuMillis(final long pid) {
        final String stat = read(pid, "stat");
        return stat == null ? -1 : parseCpu(stat);
    }

    static long parseRss(final String status) {
        return status.lines()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.substring(6).trim().split("\\s+")[0]))
                .findFirst()
                .orElse(-1);
    }

    static long parseCpu(final String stat) {
        // the command name (field 2) is in parentheses and may itself hold spaces or parentheses;
        // after it, field 3 (state) comes first, so utime (14) and stime (15) are at 11 and 12
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
    }

    private static String read(final long pid, final String file) {
        if (pid <= 0) {
            return null;
        }
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
