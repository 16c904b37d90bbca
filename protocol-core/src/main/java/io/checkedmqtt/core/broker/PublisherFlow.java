package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.FlowControl;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.session.Session;

import java.util.List;

/**
 * When flow control holds a publisher and when it lets go ({@link FlowControl}, the policy;
 * {@link PublisherHolds}, the state). Only connected subscribers count: an offline session drains
 * when its client returns, which may be never, so it is bounded by its queue alone.
 *
 * <p>No hold may close a cycle: a publisher is not held for its own session (its PUBACKs drain
 * it) nor for the session of a client that is itself held (its acknowledgements are not being
 * read). So every held publisher waits, through a chain, for a client that is read, and the
 * chain ends when that client acknowledges or goes.
 */
final class PublisherFlow {

    private PublisherFlow() {
    }

    /**
     * A message {@code publisher} sent was just delivered to the session of {@code subscriberId}:
     * hold the publisher when that session is now at or over the high-water mark.
     */
    static BrokerState afterDelivery(FlowControl flow, BrokerState state, ConnectionId publisher,
                                     String subscriberId, List<Effect> effects) {
        Session subscriber = state.session(subscriberId);
        if (!flow.isOn() || subscriber == null || !subscriber.isOnline()
                || subscriber.queue().size() < flow.highWater()
                || subscriber.link().connection().equals(publisher)) {
            return state;
        }
        PublisherHolds holds = state.access().holds();
        if (holds.isHeld(subscriber.link().connection()) || state.sessionOn(publisher) == null) {
            return state;
        }
        if (!holds.isHeld(publisher)) {
            effects.add(new Effect.PauseReading(publisher));
        }
        return state.withAccess(state.access().withHolds(holds.hold(publisher, subscriberId)));
    }

    /**
     * The session of {@code clientId} changed (or ended): when it no longer holds anyone back (it
     * drained to the low-water mark, went offline or ended), the publishers waiting for it only
     * wait for the others, and those that wait for nothing more are read again. The time a client
     * was not read does not count against its Keep Alive: its link counts as touched now.
     */
    static BrokerState afterStep(FlowControl flow, BrokerState state, String clientId, long now,
                                 List<Effect> effects) {
        PublisherHolds holds = state.access().holds();
        if (!holds.holdsAny(clientId)) {
            return state;
        }
        Session s = state.session(clientId);
        if (s != null && s.isOnline() && s.queue().size() > flow.lowWater()) {
            return state;
        }
        PublisherHolds released = holds.release(clientId);
        BrokerState next = state.withAccess(state.access().withHolds(released));
        for (ConnectionId publisher : holds.waitingFor(clientId)) {
            if (holds.isHeld(publisher) && !released.isHeld(publisher)) {
                effects.add(new Effect.ResumeReading(publisher));
                next = touched(next, publisher, now);
            }
        }
        return next;
    }

    private static BrokerState touched(BrokerState state, ConnectionId publisher, long now) {
        Session p = state.sessionOn(publisher);
        return p == null ? state : state.withSession(p.clientId(), p.withLink(p.link().touched(now)));
    }
}
