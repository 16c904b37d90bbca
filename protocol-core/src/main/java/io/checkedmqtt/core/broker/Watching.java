package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.conformance.ClientWatch;
import io.checkedmqtt.core.conformance.ProbeMessage;
import io.checkedmqtt.core.conformance.WatchStep;
import io.checkedmqtt.core.conformance.Watcher;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionTransitions;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the {@link Watcher} alongside the broker's transitions, for the clients the
 * {@link WatchConfig} names: it shows the watcher each packet a watched client sends (before the
 * core handles it) and, at the end of each step, what the step did to watched clients (accepted
 * connections, packets sent, closes). What the watcher finds leaves as {@link Effect.Noted}; when
 * a client's report changes, the broker publishes it, retained, on
 * {@code $SYS/broker/clients/<id>/conformance}; the watcher's deadlines become the client's
 * {@link Timer.Watch}. It exists only when something is watched: otherwise the core does none of
 * this. Local to the broker core, stateless itself: the watch lives in {@link BrokerState}.
 */
final class Watching {

    /** The topic a client's conformance report is published on (see {@link #reportTopic}). */
    static final String REPORT_TOPIC = "$SYS/broker/clients/%s/conformance";

    private final WatchConfig config;
    private final Watcher watcher;
    private final SessionTransitions sessions;

    Watching(WatchConfig config, SessionTransitions sessions) {
        this.config = config;
        this.watcher = new Watcher(config);
        this.sessions = sessions;
    }

    WatchConfig config() {
        return config;
    }

    /** A packet from a watched client, before the core handles it. */
    BrokerState inbound(StepBuilder out, BrokerState state, ConnectionId conn, Packet packet, long now) {
        ClientWatch w = state.watch().on(conn);
        Session s = w == null ? null : state.sessionOn(conn);
        return s == null ? state : record(out, state, w, watcher.inbound(w, s, packet, now));
    }

    /** What the shell did to a watched client's wire. */
    BrokerState fault(StepBuilder out, BrokerState state, ConnectionId conn, WireFault fault, long now) {
        ClientWatch w = state.watch().on(conn);
        return w == null ? state : record(out, state, w, watcher.fault(w, fault, now));
    }

    /** The connection went away without a Close of the core's. */
    BrokerState lost(StepBuilder out, BrokerState state, ConnectionId conn, long now) {
        ClientWatch w = state.watch().on(conn);
        return w == null ? state : record(out, state, w, watcher.disconnected(w, now));
    }

    /** A {@link Timer.Watch} fired: overdue resends; a probe that waited inside the connection cuts it. */
    BrokerState deadline(StepBuilder out, BrokerState state, String clientId, long now) {
        ClientWatch w = state.watch().client(clientId);
        if (w == null) {
            return state;
        }
        WatchStep step = watcher.deadline(w, now);
        BrokerState next = record(out, state, w, step);
        Session s = next.session(clientId);
        if (step.cut() != null && s != null && s.isOnline()) {
            next = out.apply(next, clientId, s, sessions.onProbeCut(s, step.cut(), now));
        }
        return next;
    }

    /**
     * The end of a step: what its effects (from {@code from} on) did to watched clients, in
     * order, then the timers and report publications that follow.
     */
    BrokerState observe(StepBuilder out, BrokerState state, List<Effect> effects, long now) {
        BrokerState next = state;
        int n = effects.size();
        for (int i = 0; i < n; i++) {
            Effect e = effects.get(i);
            if (e instanceof Effect.Attached a) {
                if (config.watches(a.clientId())) {
                    ClientWatch w = watcher.attached(next.watch().client(a.clientId()), a.clientId(), a.connection(),
                            a.version());
                    next = next.withWatch(next.watch().with(w));
                }
            } else if (e instanceof Effect.Send send) {
                ClientWatch w = next.watch().on(send.connection());
                if (w != null) {
                    next = send.packet() instanceof Connack c && !c.reasonCode().isError()
                            ? record(out, next, w, watcher.connected(w, c.sessionPresent(), now))
                            : next.withWatch(next.watch().with(watcher.outbound(w, send.packet())));
                }
            } else if (e instanceof Effect.Close close) {
                ClientWatch w = next.watch().on(close.connection());
                if (w != null) {
                    next = record(out, next, w, watcher.closed(w, close.reason(), close.detail(), now));
                }
            }
        }
        return out.flushWatch(next);
    }

    /**
     * Stores a watch step: its notes become effects, a probe's request for a queued message is
     * carried out, and the client is marked for a timer and report update at the end of the step.
     */
    private BrokerState record(StepBuilder out, BrokerState state, ClientWatch before, WatchStep step) {
        ClientWatch w = step.watch();
        for (Note note : step.notes()) {
            out.effect(new Effect.Noted(w.clientId(), w.connection() != null ? w.connection() : before.connection(),
                    note));
        }
        BrokerState next = state.withWatch(state.watch().with(w));
        out.touched(w.clientId(), before.deadline(), step.reportChanged());
        if (step.queueProbeMessage()) {
            next = queueProbeMessage(out, next, w, out.now());
        }
        return next;
    }

    /**
     * {@code probe.offline-queue}: the client was cut after a SUBACK; one message for its QoS 1
     * or 2 subscription goes to its offline session, to be delivered when it comes back.
     */
    private BrokerState queueProbeMessage(StepBuilder out, BrokerState state, ClientWatch w, long now) {
        Session s = state.session(w.clientId());
        Map.Entry<String, SubscriptionOptions> sub = s == null || s.isOnline() ? null : firstReliable(s);
        BrokerState next = state;
        if (sub != null) {
            QoS qos = sub.getValue().maxQos().min(sessions.config().limits().maximumQos());
            next = out.apply(state, w.clientId(), s,
                    sessions.onDeliver(s, ProbeMessage.forFilter(sub.getKey(), qos), now, now));
        }
        return record(out, next, w, watcher.probeMessageQueued(next.watch().client(w.clientId()), sub != null, now));
    }

    /** The session's subscription with QoS 1 or 2 whose filter sorts first, or null. */
    private static Map.Entry<String, SubscriptionOptions> firstReliable(Session s) {
        for (Map.Entry<String, SubscriptionOptions> e : new TreeMap<>(s.subscriptions()).entrySet()) {
            if (e.getValue().maxQos() != QoS.AT_MOST_ONCE) {
                return e;
            }
        }
        return null;
    }

    /**
     * Timers for watches whose deadline moved, and report publications, for the clients a step
     * touched ({@code deadlines}: each one's deadline before the step).
     */
    BrokerState finish(StepBuilder out, BrokerState state, Map<String, Long> deadlines, List<String> reportsChanged) {
        for (Map.Entry<String, Long> touched : deadlines.entrySet()) {
            String clientId = touched.getKey();
            long before = touched.getValue();
            long after = state.watch().client(clientId).deadline();
            if (after != before) {
                out.effect(after == Long.MAX_VALUE ? new Effect.CancelTimer(new Timer.Watch(clientId))
                        : new Effect.ScheduleTimer(new Timer.Watch(clientId), after));
            }
        }
        BrokerState next = state;
        for (String clientId : reportsChanged) {
            String json = state.watch().report(clientId).json(clientId);
            Publish report = new Publish(reportTopic(clientId), json.getBytes(StandardCharsets.UTF_8),
                    QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY);
            next = out.route(next, report, null);
        }
        return next;
    }

    /**
     * {@code $SYS/broker/clients/<id>/conformance}, with the characters a topic level cannot
     * hold ({@code / + #}) and {@code %} written as {@code %2F %2B %23 %25}.
     */
    static String reportTopic(String clientId) {
        StringBuilder level = new StringBuilder(clientId.length() + 8);
        for (int i = 0; i < clientId.length(); i++) {
            char c = clientId.charAt(i);
            switch (c) {
                case '/' -> level.append("%2F");
                case '+' -> level.append("%2B");
                case '#' -> level.append("%23");
                case '%' -> level.append("%25");
                default -> level.append(c);
            }
        }
        return String.format(REPORT_TOPIC, level);
    }
}
