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
 */
package io.checkedmqtt.core.effect;
