package io.checkedmqtt.core;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runs a test body on a thread with a fixed stack of {@link #BYTES}, half of what a Java thread
 * gets by default on 64-bit Linux (1 MiB, the selector thread's stack). A walk that recursed once
 * per topic level would overflow it long before 65,536 levels ({@link #assertTooSmallForRecursion}
 * shows it does), so a deep-topic test that passes here shows the code under test does not recurse
 * per level, whatever -Xss the test JVM happens to run with.
 */
public final class SmallStack {

    /** The stack size asked for: 512 KiB. */
    public static final long BYTES = 512 * 1024;

    /** A test body that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private SmallStack() {
    }

    /** Runs {@code body} on a fresh thread with a {@link #BYTES} stack; rethrows what it threw. */
    public static void run(Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "small-stack", BYTES);
        thread.start();
        thread.join();
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * The control: on this stack, a recursion with one frame per level, like the old trie walks,
     * overflows at {@code levels}. Without it a passing deep test could only mean the stack was big.
     */
    public static void assertTooSmallForRecursion(int levels) {
        assertThrows(StackOverflowError.class, () -> run(() -> descend(new Level[] {chain(levels)}, 0)));
    }

    /** One object per level, like a path of trie nodes. */
    private record Level(Level next) {
    }

    private static Level chain(int levels) {
        Level head = null;
        for (int i = 0; i < levels; i++) {
            head = new Level(head);
        }
        return head;
    }

    /** Recurses once per level, as the old SubscriptionIndex.insert did; returns the depth. */
    private static int descend(Level[] at, int depth) {
        Level level = at[0];
        if (level == null) {
            return depth;
        }
        at[0] = level.next();
        return descend(at, depth + 1);
    }
}
