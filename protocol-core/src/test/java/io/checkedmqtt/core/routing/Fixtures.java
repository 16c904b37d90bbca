package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.SubscriptionOptions.RetainHandling;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small builders for routing tests. */
final class Fixtures {

    static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;

    private Fixtures() {
    }

    static Publish publish(String topic, String payload, QoS qos) {
        return new Publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, false,
                qos == QoS.AT_MOST_ONCE ? 0 : 7, Properties.EMPTY);
    }

    static Publish retained(String topic, String payload, QoS qos) {
        return publish(topic, payload, qos).withRetain(true);
    }

    static Subscription sub(String filter, QoS qos) {
        return new Subscription(filter, SubscriptionOptions.of(qos));
    }

    static Subscription sub(String filter, QoS qos, boolean noLocal, boolean retainAsPublished, RetainHandling rh) {
        return new Subscription(filter, new SubscriptionOptions(qos, noLocal, retainAsPublished, rh));
    }

    static String text(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    static List<Long> subscriptionIds(Publish p) {
        return p.properties().integers(PropertyId.SUBSCRIPTION_IDENTIFIER);
    }

    static Properties props(Property... ps) {
        return Properties.of(ps);
    }
}
