package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionTransitions;

/**
 * What the core does when a deadline it scheduled passes ({@link Timer}): one branch per kind of
 * deadline. A deadline whose connection or session is gone changes nothing: the shell may fire a
 * timer the core no longer cares about (it cancels lazily).
 */
final class DeadlineHandler {

    private final BrokerConfig config;
    private final SessionTransitions sessions;
    /** Null when nobody is watched. */
    private final Watching watching;

    DeadlineHandler(BrokerConfig config, SessionTransitions sessions, Watching watching) {
        this.config = config;
        this.sessions = sessions;
        this.watching = watching;
    }

    /** The state after {@code timer} fired; its effects go to {@code out}. */
    BrokerState fired(StepBuilder out, BrokerState state, Timer timer, long nowMillis) {
        if (timer instanceof Timer.ConnectTimeout t) {
            if (state.awaitsConnect(t.connection())) {
                out.effect(new Effect.Close(t.connection(), ReasonCode.PROTOCOL_ERROR,
                        "no CONNECT within " + config.connectTimeoutMillis() + " ms"));
                return state.withoutConnection(t.connection());
            }
        } else if (timer instanceof Timer.KeepAlive t) {
            Session s = state.sessionOn(t.connection());
            if (s != null && state.access().holds().isHeld(t.connection())) {
                // Flow control is not reading the client: its silence is the server's doing
                out.effect(new Effect.ScheduleTimer(t, nowMillis + s.link().keepAliveMillis()));
                return state;
            }
            if (s != null) {
                return out.apply(state, s.clientId(), s, sessions.onKeepAliveDeadline(s, nowMillis));
            }
        } else if (timer instanceof Timer.Resend t) {
            Session s = state.session(t.clientId());
            if (s != null) {
                return out.apply(state, t.clientId(), s, sessions.onResendDeadline(s, nowMillis));
            }
        } else if (timer instanceof Timer.WillDelay t) {
            Session s = state.session(t.clientId());
            if (s != null) {
                return out.apply(state, t.clientId(), s, sessions.onWillDelayElapsed(s, nowMillis));
            }
        } else if (timer instanceof Timer.Watch t) {
            if (watching != null) {
                return watching.deadline(out, state, t.clientId(), nowMillis);
            }
        } else if (timer instanceof Timer.SessionExpiry t) {
            Session s = state.session(t.clientId());
            if (s != null) {
                return out.apply(state, t.clientId(), s, sessions.onSessionExpiry(s, nowMillis));
            }
        }
        return state;
    }

    /**
     * The deadlines of a state recovered from durable records ({@link BrokerCore#recovered}),
     * counted from when each session went offline.
     */
    static void scheduleRecovered(StepBuilder out, BrokerState state) {
        for (Session s : state.sessions().values()) {
            if (s.isOnline()) {
                throw new IllegalArgumentException("a recovered session is offline: " + s.clientId());
            }
            if (s.will() != null) {
                long delay = s.will().properties().integer(PropertyId.WILL_DELAY_INTERVAL, 0);
                out.effect(new Effect.ScheduleTimer(new Timer.WillDelay(s.clientId()),
                        s.disconnectedAtMillis() + delay * 1000));
            }
            if (s.expirySeconds() != Session.NEVER_EXPIRES) {
                out.effect(new Effect.ScheduleTimer(new Timer.SessionExpiry(s.clientId()),
                        s.disconnectedAtMillis() + s.expirySeconds() * 1000));
            }
        }
    }
}
