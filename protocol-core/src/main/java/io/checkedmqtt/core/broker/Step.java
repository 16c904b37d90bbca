package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.Effect;

import java.util.List;

/** The result of one transition: the next state and the effects to carry out, in order. */
public record Step(BrokerState state, List<Effect> effects) {

    public Step {
        effects = List.copyOf(effects);
    }
}
