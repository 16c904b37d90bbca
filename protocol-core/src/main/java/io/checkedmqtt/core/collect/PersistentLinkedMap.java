package io.checkedmqtt.core.collect;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable map that remembers insertion order, like {@link java.util.LinkedHashMap}: for a
 * session's in-flight messages by packet identifier, which on reconnect are resent in the order
 * they were first sent [MQTT-4.4.0-1] (and MQTT 4.6 message ordering).
 *
 * <p>Each new key gets the next sequence number. A {@link PersistentMap} maps the key to its
 * value and sequence number; an AVL tree ({@link SeqTree}) maps sequence numbers back to keys in
 * order. {@link #get} costs O(log32 n); {@link #put} of a new key, {@link #remove} and
 * {@link #putLast} cost O(log n); {@link #put} of a present key keeps its position and costs
 * O(log32 n); {@link #first} costs O(log n); iterating costs O(n log32 n).
 *
 * <p>Keys and values must not be null. Two linked maps are equal when they hold equal entries
 * <em>in the same order</em> (unlike {@code LinkedHashMap.equals}, because here the order is
 * part of the meaning); {@link #hashCode} is order-sensitive accordingly and costs O(n).
 */
public final class PersistentLinkedMap<K, V> implements Iterable<Map.Entry<K, V>> {

    private static final PersistentLinkedMap<?, ?> EMPTY = new PersistentLinkedMap<>(PersistentMap.empty(), null, 0);

    /** A value with the sequence number that fixes its key's position. */
    private record Slot<V>(long seq, V value) {
    }

    private final PersistentMap<K, Slot<V>> slots;
    /** Sequence number to key; null when empty. */
    private final SeqTree<K> order;
    /** The sequence number the next new key gets; only grows (2^63 insertions never run out). */
    private final long nextSeq;

    private PersistentLinkedMap(final PersistentMap<K, Slot<V>> slots, final SeqTree<K> order, final long nextSeq) {
        this.slots = slots;
        this.order = order;
        this.nextSeq = nextSeq;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> PersistentLinkedMap<K, V> empty() {
        return (PersistentLinkedMap<K, V>) EMPTY;
    }

    public int size() {
        return slots.size();
    }

    public boolean isEmpty() {
        return slots.isEmpty();
    }

    /** The value mapped to {@code key}, or null when there is none. */
    public V get(final Object key) {
        final Slot<V> slot = slots.get(key);
        return slot == null ? null : slot.value();
    }

    /** The value mapped to {@code key}, or {@code absent} when there is none. */
    public V getOrDefault(final Object key, final V absent) {
        final V value = get(key);
        return value == null ? absent : value;
    }

    public boolean containsKey(final Object key) {
        return slots.containsKey(key);
    }

    /**
     * This map with {@code key} mapped to {@code value}. A new key goes last; a present key keeps
     * its position. Returns {@code this} when the key is already mapped to that very value.
     */
    public PersistentLinkedMap<K, V> put(final K key, final V value) {
        Objects.requireNonNull(value, "value");
        final Slot<V> slot = slots.get(key);
        if (slot != null) {
            return slot.value() == value
                    ? this
                    : new PersistentLinkedMap<>(slots.put(key, new Slot<>(slot.seq(), value)), order, nextSeq);
        }
        return new PersistentLinkedMap<>(slots.put(key, new Slot<>(nextSeq, value)),
                SeqTree.insert(order, nextSeq, key), nextSeq + 1);
    }

    /** This map with {@code key} mapped to {@code value} and moved to the last position. */
    public PersistentLinkedMap<K, V> putLast(final K key, final V value) {
        return remove(key).put(key, value);
    }

    /** This map without {@code key}; {@code this} when the key is absent. */
    public PersistentLinkedMap<K, V> remove(final Object key) {
        final Slot<V> slot = slots.get(key);
        if (slot == null) {
            return this;
        }
        if (size() == 1) {
            return empty();
        }
        return new PersistentLinkedMap<>(slots.remove(key), SeqTree.remove(order, slot.seq()), nextSeq);
    }

    /** The oldest entry. */
    public Map.Entry<K, V> first() {
        final SeqTree<K> node = SeqTree.first(order);
        if (node == null) {
            throw new NoSuchElementException("empty map");
        }
        return Map.entry(node.key(), get(node.key()));
    }

    /** Applies {@code action} to every entry, oldest first. */
    public void forEach(final BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        for (final Iterator<K> keys = SeqTree.keysInOrder(order); keys.hasNext(); ) {
            final K key = keys.next();
            action.accept(key, get(key));
        }
    }

    /** The entries, oldest first, as immutable {@link Map#entry} pairs. */
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new MappingIterator<K, Map.Entry<K, V>>(SeqTree.keysInOrder(order), key -> Map.entry(key, get(key)));
    }

    /** The keys, oldest first. */
    public Iterable<K> keys() {
        return () -> SeqTree.keysInOrder(order);
    }

    /** The values, in key order. */
    public Iterable<V> values() {
        return () -> new MappingIterator<K, V>(SeqTree.keysInOrder(order), this::get);
    }

    /** The order index, for the structural checks in the tests. */
    SeqTree<K> order() {
        return order;
    }

    @Override
    public boolean equals(final Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PersistentLinkedMap<?, ?> that) || size() != that.size()) {
            return false;
        }
        final Iterator<? extends Map.Entry<?, ?>> theirs = that.iterator();
        for (final Map.Entry<K, V> mine : this) {
            if (!mine.equals(theirs.next())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (final Map.Entry<K, V> entry : this) {
            hash = 31 * hash + entry.hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder("{");
        forEach((k, v) -> out.append(out.length() == 1 ? "" : ", ").append(k).append('=').append(v));
        return out.append('}').toString();
    }
}
