package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Resident set size of a process, from the {@code VmRSS} line of {@code /proc/PID/status} (Linux). */
final class ProcRss {
    private ProcRss() {
    }

    /** RSS in KiB, or -1 when unknown (no pid, not Linux, process gone). */
    static long kibibytes(final long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            return parse(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parse(final List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                final String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }
}
