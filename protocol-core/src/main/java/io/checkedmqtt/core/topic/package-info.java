/**
 * Topic Names and Topic Filters (MQTT section 4.7): validation with the reason code the spec
 * names ({@link io.checkedmqtt.core.topic.TopicName}, {@link io.checkedmqtt.core.topic.TopicFilter}),
 * the one matching rule ({@link io.checkedmqtt.core.topic.TopicFilter#matches}) and Shared
 * Subscription filters ({@link io.checkedmqtt.core.topic.SharedSubscription}). Pure static
 * functions over strings; nothing here allocates per topic level.
 */
package io.checkedmqtt.core.topic;
