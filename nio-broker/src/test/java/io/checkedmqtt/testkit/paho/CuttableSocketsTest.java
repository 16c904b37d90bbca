package io.checkedmqtt.testkit.paho;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's sockets: a cut closes the last one, and they tell whether the client wrote anything. */
class CuttableSocketsTest {

    @Test
    @DisplayName("the last socket counts what was written on it; a cut closes it")
    void countsWritesAndCuts() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CuttableSockets sockets = new CuttableSockets();
            assertTrue(sockets.lastWroteNothing(), "no socket yet");
            Socket first = sockets.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            assertTrue(sockets.lastWroteNothing(), "opened, nothing written");
            first.getOutputStream().write(new byte[] {0x10, 0x00});
            assertFalse(sockets.lastWroteNothing(), "two bytes written");

            Socket second = sockets.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            assertTrue(sockets.lastWroteNothing(), "the count is the last socket's");
            assertTrue(sockets.cut());
            assertTrue(second.isClosed());
            assertFalse(first.isClosed(), "only the last socket is cut");
            first.close();
        }
    }
}
