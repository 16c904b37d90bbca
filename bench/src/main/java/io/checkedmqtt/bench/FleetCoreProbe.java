package io.checkedmqtt.bench;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

/**
 * The core's share of the {@code fleet} scenario, without sockets: N clients (3.1.1 and 5.0
 * alternating) subscribed at QoS 1 to one topic; one QoS 1 PUBLISH to all of them (one core step),
 * the N PUBACKs, and the N DISCONNECTs. The state is a value, so every round starts from the same
 * held fleet. Prints the median, over the rounds after the first few (the JIT's), of this thread's
 * CPU time and bytes allocated per delivery, per PUBACK and per DISCONNECT.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkedmqtt.bench.FleetCoreProbe [N] [ROUNDS]</pre>
 */
public final class FleetCoreProbe {

    private static final String TOPIC = "bench/fleet";

    private FleetCoreProbe() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        BrokerCore core = new BrokerCore(BrokerConfig.defaults());
        BrokerState held = core.initialState();
        for (int i = 0; i < n; i++) {
            ConnectionId c = new ConnectionId(i + 2);
            ProtocolVersion v = i % 2 == 0 ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_5;
            held = core.connectionOpened(held, c, 0).state();
            held = core.packetReceived(held, c, new Connect(v, "fleet-c" + i, true, 60, null, null, null,
                    Properties.EMPTY), 0).state();
            held = core.packetReceived(held, c, new Subscribe(1, List.of(new Subscription(TOPIC,
                    SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY), 0).state();
        }
        ConnectionId pub = new ConnectionId(1);
        held = core.connectionOpened(held, pub, 0).state();
        held = core.packetReceived(held, pub, new Connect(ProtocolVersion.MQTT_3_1_1, "fleet-pub", true, 60, null,
                null, null, Properties.EMPTY), 0).state();
        Publish message = new Publish(TOPIC, new byte[64], QoS.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY);

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] what = {"fan-out, per delivery", "PUBACK", "DISCONNECT"};
        double[][] cpu = new double[3][rounds];
        double[][] bytes = new double[3][rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long t = 1000L * (r + 1);
            long c0 = mx.getCurrentThreadCpuTime();
            long a0 = mx.getCurrentThreadAllocatedBytes();
            Step fanned = core.packetReceived(held, pub, message, t);
            long c1 = mx.getCurrentThreadCpuTime();
            long a1 = mx.getCurrentThreadAllocatedBytes();
            BrokerState state = fanned.state();
            int delivered = 0;
            for (Effect e : fanned.effects()) {
                if (e instanceof Effect.Send s && s.packet() instanceof Publish p) {
                    state = core.packetReceived(state, s.connection(), new PubAck(p.packetId()), t).state();
                    delivered++;
                }
            }
            long c2 = mx.getCurrentThreadCpuTime();
            long a2 = mx.getCurrentThreadAllocatedBytes();
            BrokerState leaving = held;
            for (int i = 0; i < n; i++) {
                ConnectionId c = new ConnectionId(i + 2);
                leaving = core.packetReceived(leaving, c, Disconnect.NORMAL, t).state();
                leaving = core.connectionLost(leaving, c, t).state();
            }
            long c3 = mx.getCurrentThreadCpuTime();
            long a3 = mx.getCurrentThreadAllocatedBytes();
            if (delivered != n) {
                throw new IllegalStateException(delivered + " deliveries for " + n + " subscribers");
            }
            sink += state.sessionCount() + leaving.sessionCount();
            cpu[0][r] = (c1 - c0) / (double) n;
            cpu[1][r] = (c2 - c1) / (double) n;
            cpu[2][r] = (c3 - c2) / (double) n;
            bytes[0][r] = (a1 - a0) / (double) n;
            bytes[1][r] = (a2 - a1) / (double) n;
            bytes[2][r] = (a3 - a2) / (double) n;
        }
        int warm = Math.min(5, rounds - 1);
        System.out.printf("fleet core probe: n=%d, %d rounds (first %d left out)%n", n, rounds, warm);
        for (int k = 0; k < 3; k++) {
            System.out.printf("  %-22s %7.0f ns CPU  %7.0f bytes allocated%n", what[k],
                    median(cpu[k], warm), median(bytes[k], warm));
        }
        System.out.println(sink == 42 ? "" : "done");
    }

    private static double median(double[] values, int skip) {
        double[] kept = Arrays.copyOfRange(values, skip, values.length);
        Arrays.sort(kept);
        return kept[kept.length / 2];
    }
}
