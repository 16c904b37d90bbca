package io.checkedmqtt.model;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.testkit.TestedCore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Scripted runs of the {@code spec} scenario that reach, in every build, what random runs reach
 * seldom: a subscriber resuming its session with QoS 1 and QoS 2 messages in flight and messages
 * queued while it was away, a resumed session with room in its window, a queue drained at the
 * reconnect, a Clean Start while inbound QoS 2 identifiers await PUBREL, a publisher's QoS 2
 * resend after a reconnect. Each script is a fixed
 * list of {@link Action}s (no randomness), so the trace it records on a given core is always the
 * same; the build checks them with TLC beside the random traces ({@code TraceValidationTest}),
 * and {@code DirectedTracesTest} shows that each one rejects the broken cores it names.
 *
 * <p>{@code c1} subscribes, {@code c2} publishes; the messages are m1, m2, ... in publish order.
 */
final class DirectedTraces {

    /** The scripts and the {@link BrokenCore.Fault}s each one is written to expose. */
    enum Script {
        /**
         * c1 resumes with m1 (QoS 2, PUBREC read: PUBREL owed) and m2 (QoS 1) in flight and m3,
         * m4 queued while it was away: PUBREL 1 and m2 are resent, in that order, before anything
         * new (3.1.1, window 3: m3 goes out after them; 5.0, window 2: nothing new fits)
         * [v3.1.1 MQTT-4.4.0-1, MQTT-4.6.0-6; v5 MQTT-4.4.0-1, MQTT-4.6.0-5].
         */
        RESENDS_IN_ORDER(EnumSet.of(BrokenCore.Fault.NO_RESEND_ON_RECONNECT, BrokenCore.Fault.RESEND_REVERSE_ORDER)),
        /**
         * c1 resumes with one message in flight (m2, QoS 2), fewer than its window, and m3, m4
         * queued while it was away: m2 is resent before m3 goes out [v3.1.1 MQTT-4.6.0-6;
         * v5 MQTT-4.6.0-5].
         */
        RESEND_BEFORE_QUEUED(EnumSet.of(BrokenCore.Fault.QUEUED_BEFORE_RESENDS)),
        /**
         * c1 disconnects with nothing in flight, m1 and m2 are queued, c1 resumes and stays
         * quiet: both go out at the reconnect [v3.1.1 MQTT-4.4.0-1; v5 MQTT-4.4.0-1].
         */
        QUEUE_DRAINED_ON_RECONNECT(EnumSet.of(BrokenCore.Fault.QUEUE_NOT_DRAINED_ON_RECONNECT)),
        /**
         * c2's QoS 2 m1 awaits PUBREL when its connection is lost; c2 comes back with Clean
         * Start and publishes m2 at QoS 2 under the same identifier: a new message, routed to c1
         * [v3.1.1 MQTT-3.1.2-6; v5 MQTT-3.1.2-4].
         */
        CLEAN_START_FORGETS_INBOUND_QOS2(EnumSet.of(BrokenCore.Fault.INBOUND_QOS2_KEPT_ON_CLEAN_START)),
        /**
         * c2's QoS 2 m1 is routed to c1 and awaits PUBREL when c2's connection is lost before it
         * read PUBREC; c2 resumes and resends m1 with DUP 1: answered with PUBREC, not routed
         * again [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-10].
         */
        PUBLISHER_RESENDS_QOS2(EnumSet.of(BrokenCore.Fault.QOS2_NO_DEDUP));

        final Set<BrokenCore.Fault> targets;

        Script(Set<BrokenCore.Fault> targets) {
            this.targets = targets;
        }

        List<Action> actions(boolean v5) {
            Steps s = new Steps(v5);
            switch (this) {
                case RESENDS_IN_ORDER -> {
                    s.connect("c1", true).subscribe("c1", 2).connect("c2", false).publish(2).publish(1);
                    s.clientReads("c1", 1).serverReads("c1", 1);  // m1's PUBREC: PUBREL 1 owed; m2 unread
                    s.lost("c1").publish(1).publish(2).resume("c1");
                }
                case RESEND_BEFORE_QUEUED -> {
                    s.connect("c1", true).subscribe("c1", 2).connect("c2", false).publish(1).publish(2);
                    s.clientReads("c1", 1).serverReads("c1", 1);  // m1's PUBACK: only m2 in flight
                    s.lost("c1").publish(1).publish(2).resume("c1");
                }
                case QUEUE_DRAINED_ON_RECONNECT -> {
                    s.connect("c1", true).subscribe("c1", 1).connect("c2", false);
                    s.disconnect("c1").publish(1).publish(2).resume("c1");
                }
                case CLEAN_START_FORGETS_INBOUND_QOS2 -> {
                    s.connect("c1", false).subscribe("c1", 2).connect("c2", true).publish(2);
                    s.lost("c2").cleanStart("c2").publish(2);
                }
                case PUBLISHER_RESENDS_QOS2 -> {
                    s.connect("c1", false).subscribe("c1", 2).connect("c2", true).publish(2);
                    s.lost("c2").resume("c2").serverReads("c2", 1);  // c2's resend of m1, DUP 1
                }
            }
            return s.actions;
        }
    }

    private DirectedTraces() {
    }

    /**
     * The trace of {@code script} on {@code cores}' core, settling phase included. With
     * {@code checkModel} (the real core) the reference model checks the run too, and every step
     * of the script must be possible: otherwise the run would not reach what the script is for.
     * On a broken core a step its fault made impossible (say, a resend after a Session Present
     * the fault turned to 0) is skipped, as in a shrunk sequence.
     */
    static List<SpecTrace.Event> record(Script script, boolean v5, Function<BrokerConfig, TestedCore> cores,
                                        boolean checkModel) {
        List<SpecTrace> recorder = new ArrayList<>(1);
        Function<World, List<Observer>> extra = world -> {
            recorder.clear();
            recorder.add(new SpecTrace(world));
            return List.of(recorder.get(0));
        };
        ActionRunner runner = checkModel ? new ActionRunner(Scenario.spec(v5), cores, extra, true)
                : ActionRunner.recording(Scenario.spec(v5), cores, extra);
        List<Action> actions = script.actions(v5);
        ActionRunner.Outcome o = runner.replay(0, actions);
        if (o.failed()) {
            throw new AssertionError("the directed run " + script + " failed: " + o.describe());
        }
        if (checkModel && o.applied() != actions.size()) {
            throw new AssertionError("a step of the directed run " + script + " was not possible ("
                    + o.applied() + " of " + actions.size() + " applied): " + o.describe());
        }
        return recorder.get(0).events();
    }

    /** Builds a script: each method is one client step and the network steps it needs. */
    private static final class Steps {
        final List<Action> actions = new ArrayList<>();
        private final boolean v5;

        Steps(boolean v5) {
            this.v5 = v5;
        }

        /** A first connection; {@code keep}: the session outlives it (3.1.1: Clean Session 0). */
        Steps connect(String c, boolean keep) {
            return connect(c, v5 || !keep, keep);
        }

        /** Resume the kept session (Clean Start 0). */
        Steps resume(String c) {
            return connect(c, false, true);
        }

        /** Connect with Clean Start 1 and a session that ends with the connection. */
        Steps cleanStart(String c) {
            return connect(c, true, false);
        }

        private Steps connect(String c, boolean clean, boolean keep) {
            long expiry = v5 && keep ? Scenario.NEVER_EXPIRES : 0;
            actions.add(new Action.ClientConnect(c, v5, clean, expiry, 0, Scenario.SPEC_RECEIVE_MAXIMUM));
            return serverReads(c, 1).clientReads(c, 1);  // CONNECT; then the client reads CONNACK
        }

        Steps subscribe(String c, int qos) {
            actions.add(new Action.ClientSubscribe(c, qos, 1));
            return serverReads(c, 1).clientReads(c, 1);  // SUBSCRIBE; SUBACK
        }

        /** c2 publishes the next message; the server reads it (routes it, answers it). */
        Steps publish(int qos) {
            actions.add(new Action.ClientPublish("c2", qos));
            return serverReads("c2", 1);
        }

        Steps disconnect(String c) {
            actions.add(new Action.ClientDisconnect(c));
            return serverReads(c, 1);
        }

        Steps lost(String c) {
            actions.add(new Action.ConnectionLost(c, false));
            return this;
        }

        Steps serverReads(String c, int packets) {
            for (int i = 0; i < packets; i++) {
                actions.add(new Action.ServerReads(c, false));
            }
            return this;
        }

        Steps clientReads(String c, int packets) {
            for (int i = 0; i < packets; i++) {
                actions.add(new Action.ClientReads(c));
            }
            return this;
        }
    }
}
