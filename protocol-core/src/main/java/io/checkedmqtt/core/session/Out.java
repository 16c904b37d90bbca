package io.checkedmqtt.core.session;

import io.checkedmqtt.core.effect.Effect;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the effects of one transition while it runs. Local to one call and never shared, so
 * the transition stays a pure function; {@link #step} freezes what was collected into immutable
 * lists.
 */
final class Out {

    private final List<Effect> effects = new ArrayList<>();        // no backing array until the first add
    private final List<SessionEffect> signals = new ArrayList<>();

    Out effect(Effect effect) {
        effects.add(effect);
        return this;
    }

    Out signal(SessionEffect signal) {
        signals.add(signal);
        return this;
    }

    SessionStep step(Session session) {
        return new SessionStep(session, freeze(effects), freeze(signals));
    }

    private static <T> List<T> freeze(List<T> list) {
        return switch (list.size()) {
            case 0 -> List.of();
            case 1 -> List.of(list.get(0));
            case 2 -> List.of(list.get(0), list.get(1));
            default -> List.copyOf(list);
        };
    }
}
