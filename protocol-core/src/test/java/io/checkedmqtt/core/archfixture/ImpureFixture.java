package io.checkedmqtt.core.archfixture;

import io.checkedmqtt.broker.archfixture.ShellSideFixture;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Deliberately impure: it breaks every rule of {@code ArchitectureTest}, so the guard test can
 * show each rule fails on it. Test code only; never imported by the rules' own scan.
 */
public class ImpureFixture {

    static final List<String> SHARED = new ArrayList<>();
    static final int[] COUNTERS = new int[4];
    static int calls;
    private long lastSeen;

    public long everythingAtOnce() throws IOException, ReflectiveOperationException {
        lastSeen = System.currentTimeMillis() + System.nanoTime() + Instant.now().toEpochMilli()
                + Clock.systemUTC().millis() + new Random().nextInt() + (long) (Math.random() * 10);
        calls++;
        new Thread(() -> { }).start();
        new ConcurrentHashMap<String, String>().put("a", "b");
        Logger.getLogger("x").info("impure");
        System.out.println(new File("x").exists());
        try (SocketChannel channel = SocketChannel.open(); Socket socket = new Socket()) {
            SHARED.add(channel.toString() + socket);
        }
        COUNTERS[0] += ShellSideFixture.answer();
        return lastSeen + getClass().getDeclaredField("lastSeen").getName().length()
                + Class.forName("java.lang.String").getName().length();
    }
}
