package io.checkedmqtt.core.broker;

/**
 * The whole broker as one immutable value: sessions by client identifier, live connections,
 * subscriptions and retained messages. Every transition of {@link BrokerCore} maps one state to
 * the next.
 *
 * <p>Placeholder: the session issue fills this in.
 */
public record BrokerState() {
}
