package io.checkedmqtt.bench;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;

import java.util.List;

/**
 * Retained heap per queued QoS 1 message of an offline session, measured as the growth of the
 * used heap after full GCs: N persistent 3.1.1 sessions subscribe to one topic and go offline,
 * then one client publishes M QoS 1 messages of 64 bytes to it, each queued once per session.
 * The payloads and the topic are one per message, shared by every session's copy, so the figure
 * is what one more queued copy costs. It also gives what an offline session with one
 * subscription costs, and from both how many sessions with that many queued messages fit in 1 GiB.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkedmqtt.bench.QueueMemory [SESSIONS [MESSAGES]]</pre>
 */
public final class QueueMemory {

    private QueueMemory() {
    }

    public static void main(String[] args) {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        BrokerCore core = new BrokerCore(BrokerConfig.builder().maxQueuedMessages(messages).build());
        long now = 0;
        BrokerState state = core.initialState();
        long empty = HeapUse.usedAfterGc();
        long id = 1;
        for (int i = 0; i < sessions; i++) {
            ConnectionId c = new ConnectionId(id++);
            state = core.connectionOpened(state, c, now).state();
            state = core.packetReceived(state, c, new Connect(ProtocolVersion.MQTT_3_1_1, "s" + i, false, 0, null, null,
                    null, Properties.EMPTY), now).state();
            state = core.packetReceived(state, c, new Subscribe(1, List.of(new Subscription("t",
                    SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY), now).state();
            state = core.connectionLost(state, c, now).state();
        }
        ConnectionId publisher = new ConnectionId(id);
        state = core.connectionOpened(state, publisher, now).state();
        state = core.packetReceived(state, publisher, new Connect(ProtocolVersion.MQTT_3_1_1, "p", true, 0, null, null,
                null, Properties.EMPTY), now).state();
        long before = HeapUse.usedAfterGc();
        double perSession = (before - empty) / (double) sessions;
        for (int m = 0; m < messages; m++) {
            Publish publish = new Publish("t", new byte[64], QoS.AT_LEAST_ONCE, false, false, 1 + m % 65_535,
                    Properties.EMPTY);
            state = core.packetReceived(state, publisher, publish, ++now).state();
        }
        long after = HeapUse.usedAfterGc();
        long queued = (long) sessions * messages;
        double perMessage = (after - before) / (double) queued;
        System.out.printf("%,d sessions x %,d queued QoS 1 messages of 64 B: %,.1f bytes per queued message "
                + "(payloads and topic shared, counted in)%n", sessions, messages, perMessage);
        System.out.printf("an offline session with its subscription: %,.0f bytes (client id and topic counted in)%n",
                perSession);
        System.out.printf("offline sessions with %,d queued messages each in 1 GiB at these costs: %,.0f%n", messages,
                (1L << 30) / (perSession + perMessage * messages));
        if (state.sessions().size() < 0) {
            throw new AssertionError();   // keeps the state reachable until after the measurement
        }
    }
}
