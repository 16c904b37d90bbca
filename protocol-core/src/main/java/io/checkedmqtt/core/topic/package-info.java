/**
 * Topic Filters (MQTT section 4.7): their validation with the reason code the spec names
 * ({@link io.checkedmqtt.core.topic.TopicFilter}, shared ones in {@link
 * io.checkedmqtt.core.topic.SharedSubscription}) and the one matching rule ({@link
 * io.checkedmqtt.core.topic.TopicFilter#matches}). Pure static functions over strings; nothing
 * here allocates per topic level.
 *
 * <p>Topic Names need no class of their own: the decoder checks each one as it arrives (not
 * empty, no wildcard; its string rules as for every MQTT string), so every name the core sees is
 * valid. The strings themselves (well-formed UTF-8, no U+0000, at most 65,535 bytes) are the
 * decoder's business too, which is why the filter check here is about wildcards alone.
 */
package io.checkedmqtt.core.topic;
