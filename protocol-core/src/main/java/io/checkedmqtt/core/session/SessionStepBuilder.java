package io.checkedmqtt.core.session;

import io.checkedmqtt.core.effect.Effect;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the outputs of one session transition while it runs: {@link Effect}s for the shell
 * and {@link BrokerRequest}s for the broker core, each in the order they arose. Local to one call
 * and never shared, so the transition stays a pure function; {@link #step} freezes what was
 * collected into a {@link SessionStep}. The broker core's counterpart is its {@code StepBuilder}.
 */
final class SessionStepBuilder {

    private final List<Effect> effects = new ArrayList<>();          // no backing array until the first add
    private final List<BrokerRequest> requests = new ArrayList<>();

    SessionStepBuilder effect(Effect effect) {
        effects.add(effect);
        return this;
    }

    SessionStepBuilder request(BrokerRequest request) {
        requests.add(request);
        return this;
    }

    SessionStep step(Session session) {
        return new SessionStep(session, freeze(effects), freeze(requests));
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
