package io.checkedmqtt.core.session;

import io.checkedmqtt.core.effect.Effect;

import java.util.List;

/**
 * The result of one session transition: the next session and its two kinds of output. A broker
 * transition ({@code BrokerCore}) applies it: it stores the session, passes the effects on to the
 * shell and carries out the requests itself, which may add effects of other sessions (a routed
 * message's deliveries) and the publisher's acknowledgement.
 *
 * @param session  the next session; null when the session ended (a {@link BrokerRequest.DiscardSession} says so)
 * @param effects  for the shell, in order: packets to send, closes, timers
 * @param requests for the broker core, in order: route a message, publish a will, discard the session
 */
public record SessionStep(Session session, List<Effect> effects, List<BrokerRequest> requests) {
}
