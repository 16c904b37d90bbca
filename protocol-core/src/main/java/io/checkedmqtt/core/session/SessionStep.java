package io.checkedmqtt.core.session;

import io.checkedmqtt.core.effect.Effect;

import java.util.List;

/**
 * The result of one session transition.
 *
 * @param session  the next session; null when the session ended (a {@link SessionEffect.DiscardSession} says so)
 * @param effects  what the shell must do, in order: packets to send, closes, timers
 * @param signals  what the broker core must do: route messages, publish wills, discard the session
 */
public record SessionStep(Session session, List<Effect> effects, List<SessionEffect> signals) {
}
