package io.checkedmqtt.core.session;

import io.checkedmqtt.core.broker.Effect;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the effects of one transition while it runs. Local to one call and never shared, so
 * the transition stays a pure function; {@link #step} freezes what was collected.
 */
final class Out {

    private List<Effect> effects;
    private List<SessionEffect> signals;

    Out effect(Effect effect) {
        if (effects == null) {
            effects = new ArrayList<>(4);
        }
        effects.add(effect);
        return this;
    }

    Out signal(SessionEffect signal) {
        if (signals == null) {
            signals = new ArrayList<>(2);
        }
        signals.add(signal);
        return this;
    }

    SessionStep step(Session session) {
        return new SessionStep(session, effects == null ? List.of() : List.copyOf(effects),
                signals == null ? List.of() : List.copyOf(signals));
    }
}
