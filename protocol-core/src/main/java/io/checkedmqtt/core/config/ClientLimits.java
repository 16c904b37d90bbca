package io.checkedmqtt.core.config;

import io.checkedmqtt.core.packet.QoS;

import java.util.Objects;

/**
 * Caps an operator sets on what clients may take, each answered with the spec's reason code and
 * a log line when reached. 0 means no cap.
 *
 * @param maxConnections            clients connected at once; one more gets CONNACK 0x97 Quota
 *                                  exceeded (5.0) or 0x03 Server unavailable (3.1.1) and is
 *                                  closed. A client taking over its own session is not one more.
 * @param maxSubscriptionsPerClient subscriptions one session may hold; a filter beyond it gets
 *                                  SUBACK 0x97 Quota exceeded (5.0) or 0x80 Failure (3.1.1)
 * @param maxPublishesPerSecond     PUBLISH packets one connection may send per second on average
 *                                  (bursts of up to one second's worth pass); faster gets
 *                                  DISCONNECT 0x96 Message rate too high (5.0) and a close
 * @param maximumQos                the highest QoS the server supports (Mosquitto's {@code max_qos}):
 *                                  announced in a 5.0 CONNACK when below 2, the most a
 *                                  subscription is granted, and a CONNECT whose will asks more is
 *                                  refused (0x9B); a PUBLISH above it gets DISCONNECT 0x9B
 * @param flowControl               how far a publisher may run ahead of its subscribers before it is
 *                                  no longer read ({@link FlowControl}); off by default
 */
public record ClientLimits(int maxConnections, int maxSubscriptionsPerClient, int maxPublishesPerSecond,
                           QoS maximumQos, FlowControl flowControl) {

    /** No caps. */
    public static final ClientLimits NONE = new ClientLimits(0, 0, 0);

    public ClientLimits {
        if (maxConnections < 0 || maxSubscriptionsPerClient < 0 || maxPublishesPerSecond < 0) {
            throw new IllegalArgumentException("limits must not be negative (0 means none)");
        }
        Objects.requireNonNull(maximumQos, "maximumQos");
        Objects.requireNonNull(flowControl, "flowControl");
    }

    /** The caps, without flow control. */
    public ClientLimits(int maxConnections, int maxSubscriptionsPerClient, int maxPublishesPerSecond,
                        QoS maximumQos) {
        this(maxConnections, maxSubscriptionsPerClient, maxPublishesPerSecond, maximumQos, FlowControl.OFF);
    }

    /** The caps, with every QoS supported. */
    public ClientLimits(int maxConnections, int maxSubscriptionsPerClient, int maxPublishesPerSecond) {
        this(maxConnections, maxSubscriptionsPerClient, maxPublishesPerSecond, QoS.EXACTLY_ONCE);
    }

    /** These caps with publisher flow control set to {@code flow}. */
    public ClientLimits withFlowControl(FlowControl flow) {
        return new ClientLimits(maxConnections, maxSubscriptionsPerClient, maxPublishesPerSecond, maximumQos, flow);
    }
}
