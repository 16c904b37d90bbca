package io.checkedmqtt.broker;

import java.util.Locale;

/**
 * When the log is forced to the disk ({@code fsync}). Whatever the policy, the records of a loop
 * pass are written to the log file (handed to the operating system) before any packet of that
 * pass is written to a socket, so a killed broker process ({@code kill -9}, a crash of the JVM)
 * never loses a message it acknowledged. The policies differ in what survives the loss of the
 * whole machine (power, kernel crash), which only a force guarantees:
 * <ul>
 *   <li>{@code pass}: the log is forced before the pass's packets go out: once a PUBACK or PUBREC
 *       has been written, the message survives a power loss too. One force covers every
 *       acknowledgement of the pass (group commit).</li>
 *   <li>{@code interval MS}: forced at most every MS milliseconds, and within MS of the last
 *       write: a power loss may lose what was acknowledged in the last MS milliseconds.</li>
 *   <li>{@code never}: the operating system writes the log back when it chooses (Linux: within
 *       about 30 s); a power loss may lose what was acknowledged in that time.</li>
 * </ul>
 *
 * @param mode           which policy
 * @param intervalMillis for {@link Mode#INTERVAL}: the longest time written records stay unforced
 */
public record FsyncPolicy(Mode mode, long intervalMillis) {

    /** The three policies. */
    public enum Mode { PASS, INTERVAL, NEVER }

    public static final FsyncPolicy PASS = new FsyncPolicy(Mode.PASS, 0);
    public static final FsyncPolicy NEVER = new FsyncPolicy(Mode.NEVER, 0);

    public FsyncPolicy {
        if (mode == Mode.INTERVAL && intervalMillis < 1) {
            throw new IllegalArgumentException("fsync interval must be at least 1 ms, was " + intervalMillis);
        }
    }

    public static FsyncPolicy interval(long millis) {
        return new FsyncPolicy(Mode.INTERVAL, millis);
    }

    /** {@code pass}, {@code never} or {@code interval MS}, as in the config file. */
    public static FsyncPolicy parse(String text) {
        String[] words = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length == 1 && words[0].equals("pass")) {
            return PASS;
        }
        if (words.length == 1 && words[0].equals("never")) {
            return NEVER;
        }
        if (words.length == 2 && words[0].equals("interval")) {
            try {
                return interval(Long.parseLong(words[1].replace("_", "")));
            } catch (NumberFormatException e) {
                // the message below says what is expected
            }
        }
        throw new IllegalArgumentException("fsync must be 'pass', 'interval MS' (MS at least 1) or 'never', was '"
                + text.strip() + "'");
    }

    @Override
    public String toString() {
        return mode == Mode.INTERVAL ? "interval " + intervalMillis : mode.name().toLowerCase(Locale.ROOT);
    }
}
