/**
 * The vocabulary the core and the shell share: what the core asks the shell to do
 * ({@link io.checkedmqtt.core.effect.Effect}: send, close, schedule or cancel a timer, and the
 * facts of an accepted or refused CONNECT: client identifier and protocol version), the named
 * timers it may ask for ({@link io.checkedmqtt.core.effect.Timer}) and the name of a network
 * connection ({@link io.checkedmqtt.core.effect.ConnectionId}).
 *
 * <p>It sits below {@code session} and {@code broker} so that both can speak it and imports run
 * one way: session transitions emit effects, the broker core passes them on, the shell carries
 * them out. Nothing here knows about sessions or the broker state.
 *
 * <p>The vocabulary of a step, learnt once: a transition returns a <em>step</em>, the next state
 * with its outputs ({@code broker.Step}, {@code session.SessionStep}), collected while it runs by
 * a <em>step builder</em>. An <em>effect</em> (here) is an output for the shell. A
 * <em>request</em> ({@code session.BrokerRequest}: route a message, publish a will, discard a
 * session) is an output of a session step for the broker core, which carries it out inside the
 * same broker step; requests never reach the shell.
 */
package io.checkedmqtt.core.effect;
