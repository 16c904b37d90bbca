package io.checkedmqtt.bench;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What the core spends on one client's whole connection, the work of the {@code conn} load
 * scenario minus the sockets: a connection opens, a clean 3.1.1 CONNECT gets its CONNACK, and a
 * DISCONNECT ends it, while 10,000 other clients stay connected (so the broker state's maps
 * have the depth they have in that scenario).
 *
 * <pre>
 * mvn -B -ntp -o package -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar ConnectionBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectionBenchmark {

    private static final int IDLE_CLIENTS = 10_000;
    private static final Disconnect DISCONNECT = new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY);

    private BrokerCore core;
    private BrokerState state;
    private Connect[] connects;
    private long nextConnection;
    private long now;

    @Setup
    public void setup() {
        core = new BrokerCore(BrokerConfig.defaults());
        state = core.initialState();
        for (int i = 0; i < IDLE_CLIENTS; i++) {
            ConnectionId id = new ConnectionId(nextConnection++);
            state = core.connectionOpened(state, id, 0).state();
            state = core.packetReceived(state, id, connect("idle-" + i), 0).state();
        }
        connects = new Connect[1024];
        for (int i = 0; i < connects.length; i++) {
            connects[i] = connect("bench-client-" + i);
        }
    }

    private static Connect connect(String clientId) {
        return new Connect(ProtocolVersion.MQTT_3_1_1, clientId, true, 60, null, null, null, Properties.EMPTY);
    }

    @Benchmark
    public BrokerState openConnectDisconnect() {
        ConnectionId id = new ConnectionId(nextConnection++);
        long t = ++now;
        BrokerState s = core.connectionOpened(state, id, t).state();
        s = core.packetReceived(s, id, connects[(int) (nextConnection & 1023)], t).state();
        state = core.packetReceived(s, id, DISCONNECT, t).state();
        return state;
    }
}
