package io.checkedmqtt.core.collect;

/**
 * Receives one entry that differs between an earlier and a later version of a persistent map:
 * the value before (null when the key was added) and after (null when it was removed). The maps
 * report a value as changed when it is another object, so an update that stored an equal copy
 * is reported too; a receiver that cares compares the values itself.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Difference<K, V> {

    void entry(K key, V before, V after);
}
