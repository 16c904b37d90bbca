package io.checkedmqtt.broker.tools;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Measurement tool, not a test: opens N connections to a broker, sends CONNECT on each (half
 * 3.1.1, half 5.0, Keep Alive 0), waits for every CONNACK, then holds them idle until stdin
 * closes or {@code holdSeconds} pass. Used to measure the broker's heap and RSS per idle client:
 *
 * <pre>
 * java -cp nio-broker/target/test-classes:protocol-core/target/classes \
 *     io.checkedmqtt.broker.tools.IdleClients PORT 10000 600
 * </pre>
 */
public final class IdleClients {

    private IdleClients() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int holdSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        Selector selector = Selector.open();
        List<SocketChannel> channels = new ArrayList<>();
        long start = System.nanoTime();
        int acked = 0;
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            ProtocolVersion version = i % 2 == 0 ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_5;
            Connect connect = new Connect(version, "idle-" + i, true, 0, null, null, null, Properties.EMPTY);
            ByteBuffer bytes = ByteBuffer.allocate(MqttEncoder.encodedSize(connect, version));
            MqttEncoder.encode(connect, version, bytes);
            channel.write(bytes.flip());
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            channels.add(channel);
            acked += drain(selector, 0);
        }
        ByteBuffer sink = ByteBuffer.allocate(64);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (acked < count && System.nanoTime() < deadline) {
            acked += drain(selector, 100);
        }
        System.out.printf("%d connections, %d CONNACKs, in %d ms%n", count, acked,
                (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        long holdUntil = System.nanoTime() + holdSeconds * 1_000_000_000L;
        while (System.nanoTime() < holdUntil && System.in.available() >= 0) {
            Thread.sleep(200);
            if (System.in.available() > 0) {
                break;
            }
        }
        for (SocketChannel channel : channels) {
            channel.close();
        }
        sink.clear();
    }

    /** Reads what has arrived; counts one CONNACK per connection that sent bytes for the first time. */
    private static int drain(Selector selector, long timeout) throws IOException {
        int ready = timeout == 0 ? selector.selectNow() : selector.select(timeout);
        int acks = 0;
        if (ready > 0) {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            for (SelectionKey key : selector.selectedKeys()) {
                buffer.clear();
                int n = ((SocketChannel) key.channel()).read(buffer);
                if (n > 0 && key.attachment() == null) {
                    key.attach(Boolean.TRUE);
                    key.interestOps(0);
                    acks++;
                }
            }
            selector.selectedKeys().clear();
        }
        return acks;
    }
}
