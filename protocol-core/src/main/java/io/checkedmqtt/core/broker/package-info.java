/**
 * The broker as a whole: {@link io.checkedmqtt.core.broker.BrokerCore} is the driving contract
 * the shell uses, {@code (state, input, now) -> (state', effects)}, over one immutable
 * {@link io.checkedmqtt.core.broker.BrokerState} (sessions, open connections, the router).
 *
 * <p>A broker transition hands each packet of an attached connection to the session it carries
 * ({@code core.session}) and applies the {@link io.checkedmqtt.core.session.SessionStep} it gets
 * back in a {@code StepBuilder}: the session is stored, its effects are passed on to the shell,
 * and its {@link io.checkedmqtt.core.session.BrokerRequest}s are carried out here, where the
 * router and every other session are in reach: a routed message becomes deliveries to other
 * sessions (and then the publisher's acknowledgement), a will is routed like a message, an ended
 * session leaves the router. The result is one {@link io.checkedmqtt.core.broker.Step}: the next
 * state and every effect, in order. CONNECT, SUBSCRIBE and UNSUBSCRIBE are broker-wide and handled
 * here before the session sees them.
 */
package io.checkedmqtt.core.broker;
