package io.checkedmqtt.core.session;

import io.checkedmqtt.core.broker.Effect;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the effects and signals of one transition while it runs. Local to one call and never
 * shared, so the transition stays a pure function; {@link #step} freezes what was collected into
 * two immutable lists. Both kinds go into one small list (a transition has two or three of them
 * in the common case), which keeps the per-packet allocation down.
 */
final class Out {

    private final List<Object> collected = new ArrayList<>(3);

    Out effect(Effect effect) {
        collected.add(effect);
        return this;
    }

    Out signal(SessionEffect signal) {
        collected.add(signal);
        return this;
    }

    SessionStep step(Session session) {
        int effectCount = 0;
        for (Object o : collected) {
            if (o instanceof Effect) {
                effectCount++;
            }
        }
        int signalCount = collected.size() - effectCount;
        List<Effect> effects = List.of();
        if (effectCount == 1 || effectCount == 2) {
            Effect first = null;
            Effect second = null;
            for (Object o : collected) {
                if (o instanceof Effect x) {
                    if (first == null) {
                        first = x;
                    } else {
                        second = x;
                    }
                }
            }
            effects = second == null ? List.of(first) : List.of(first, second);
        } else if (effectCount > 2) {
            Effect[] e = new Effect[effectCount];
            int i = 0;
            for (Object o : collected) {
                if (o instanceof Effect x) {
                    e[i++] = x;
                }
            }
            effects = List.of(e);
        }
        List<SessionEffect> signals = List.of();
        if (signalCount == 1) {
            for (Object o : collected) {
                if (o instanceof SessionEffect x) {
                    signals = List.of(x);
                }
            }
        } else if (signalCount > 1) {
            SessionEffect[] s = new SessionEffect[signalCount];
            int i = 0;
            for (Object o : collected) {
                if (o instanceof SessionEffect x) {
                    s[i++] = x;
                }
            }
            signals = List.of(s);
        }
        return new SessionStep(session, effects, signals);
    }
}
