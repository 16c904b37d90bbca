package io.checkedmqtt.broker.archfixture;

import io.checkedmqtt.core.session.InflightMessage;

import java.io.IOException;
import java.net.Socket;

/** Breaks the shell's rules on purpose, so {@code ShellArchitectureTest} can show its rules bite. */
public final class ShellThatDecides {

    private ShellThatDecides() {
    }

    /** Reaches into the core's session internals: a protocol decision made in the shell. */
    public static boolean resendNow(InflightMessage message) {
        return message.resends() < 3;
    }

    /** A blocking socket and a thread per connection. */
    public static void serve(Socket socket) {
        new Thread(() -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // fixture
            }
        }).start();
    }
}
