package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, all its threads together (a JVM's compiler and GC threads
 * included), from fields 14 and 15 ({@code utime}, {@code stime}) of {@code /proc/PID/stat}
 * (Linux). The kernel reports them in clock ticks of {@code USER_HZ}, which is 100 on Linux.
 */
final class ProcCpu {
    private static final long MILLIS_PER_TICK = 10;

    private ProcCpu() {
    }

    /** User plus system CPU time in milliseconds, or -1 when unknown (no pid, not Linux, process gone). */
    static long millis(final long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parse(final String stat) {
        // the command name (field 2) is in parentheses and may itself hold spaces or parentheses
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
    }
}
