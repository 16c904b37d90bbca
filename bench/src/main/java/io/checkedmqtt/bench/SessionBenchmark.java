package io.checkedmqtt.bench;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.BrokerRequest;
import io.checkedmqtt.core.session.SessionStep;
import io.checkedmqtt.core.session.SessionTransitions;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hot path of the session layer: one inbound QoS 1 PUBLISH through the publisher's session
 * (PUBACK out, message to the router) and one outbound QoS 1 delivery to a subscriber's session
 * with its PUBACK back. {@code sessionQos1RoundTrip} measures the session transitions alone;
 * {@code brokerQos1RoundTrip} the same through {@link BrokerCore} with the real router and the
 * persistent broker state.
 *
 * <pre>
 * mvn -B -ntp -o package -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar SessionBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionBenchmark {

    private static final ConnectionId PUB = new ConnectionId(1);
    private static final ConnectionId SUB = new ConnectionId(2);

    private SessionTransitions transitions;
    private Session publisher;
    private Session subscriber;
    private Publish[] inbound;
    private int next;
    private long now;

    private BrokerCore core;
    private BrokerState state;

    @Setup
    public void setup() {
        BrokerConfig config = BrokerConfig.defaults();
        transitions = new SessionTransitions(config);
        publisher = transitions.onConnect(null, "pub", false, connect("pub"), PUB, 0).session();
        subscriber = transitions.onConnect(null, "sub", false, connect("sub"), SUB, 0).session();
        byte[] payload = new byte[64];
        inbound = new Publish[1024];
        for (int i = 0; i < inbound.length; i++) {
            inbound[i] = new Publish("sensors/room-1/temperature", payload, QoS.AT_LEAST_ONCE, false, false, i + 1,
                    Properties.EMPTY);
        }

        core = new BrokerCore(config);
        state = core.initialState();
        state = core.connectionOpened(state, PUB, 0).state();
        state = core.packetReceived(state, PUB, connect("pub"), 0).state();
        state = core.connectionOpened(state, SUB, 0).state();
        state = core.packetReceived(state, SUB, connect("sub"), 0).state();
        state = core.packetReceived(state, SUB, new Subscribe(1, List.of(new Subscription("sensors/+/temperature",
                SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY), 0).state();
    }

    private static Connect connect(String id) {
        return new Connect(ProtocolVersion.MQTT_5, id, true, 0, null, null, null, Properties.EMPTY);
    }

    @Benchmark
    public Session sessionQos1RoundTrip() {
        Publish in = inbound[next++ & 1023];
        long t = ++now;
        SessionStep received = transitions.onPublish(publisher, in, t);
        publisher = received.session();
        Publish routed = ((BrokerRequest.RouteMessage) received.requests().get(0)).publish();
        // what the router hands the subscriber: packet id 0, DUP 0, QoS min(1, 1)
        SessionStep delivered = transitions.onDeliver(subscriber, routed.forHop(QoS.AT_LEAST_ONCE, 0), t, t);
        Publish out = (Publish) ((Effect.Send) delivered.effects().get(0)).packet();
        subscriber = transitions.onPubAck(delivered.session(), new PubAck(out.packetId()), t).session();
        return subscriber;
    }

    @Benchmark
    public BrokerState brokerQos1RoundTrip() {
        Publish in = inbound[next++ & 1023];
        long t = ++now;
        Step received = core.packetReceived(state, PUB, in, t);
        int id = 0;
        for (Effect e : received.effects()) {
            if (e instanceof Effect.Send s && s.connection().equals(SUB) && s.packet() instanceof Publish p) {
                id = p.packetId();
            }
        }
        state = core.packetReceived(received.state(), SUB, new PubAck(id), t).state();
        return state;
    }
}
