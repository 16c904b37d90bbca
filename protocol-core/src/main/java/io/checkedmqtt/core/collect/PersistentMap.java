package io.checkedmqtt.core.collect;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable hash map with structural sharing: {@link #put} and {@link #remove} return a new
 * map in O(log32 n) time and space (at most seven trie levels) and leave this one unchanged.
 *
 * <p>It is a CHAMP trie (Steindorfer and Vinju, "Optimizing Hash-Array Mapped Tries for Fast and
 * Lean Immutable JVM Collections", OOPSLA 2015): each node keeps a bitmap of inline entries and a
 * bitmap of sub-nodes over one compact array; keys with equal 32-bit hash codes share a
 * collision node at the bottom. The trie is kept in canonical form, so a map's shape depends
 * only on its content.
 *
 * <p>Keys need consistent {@code equals}/{@code hashCode} and must not change while in a map.
 * Keys and values must not be null. Iteration order is the trie order: unspecified, but the
 * same for maps with equal content.
 */
public final class PersistentMap<K, V> implements Iterable<Map.Entry<K, V>> {

    private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(BitmapIndexedNode.empty(), 0);

    private final ChampNode<K, V> root;
    private final int size;

    // No running hash code is kept: it would cost value.hashCode() on every put and remove, and a
    // value can be deep (a broker Session holds its whole in-flight window, payloads included), so
    // each update would cost O(size of the value) instead of O(log32 n). Measured: that hashing
    // was ~77 % of the broker's CPU at QoS 1. hashCode() is O(n) on demand instead, as in
    // java.util.AbstractMap.
    private PersistentMap(final ChampNode<K, V> root, final int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    /** The map holding one entry. */
    public static <K, V> PersistentMap<K, V> of(final K key, final V value) {
        return PersistentMap.<K, V>empty().put(key, value);
    }

    /** The value mapped to {@code key}, or null when there is none. */
    public V get(final Object key) {
        return root.find(Objects.requireNonNull(key, "key"), key.hashCode(), 0);
    }

    /** The value mapped to {@code key}, or {@code absent} when there is none. */
    public V getOrDefault(final Object key, final V absent) {
        final V value = get(key);
        return value == null ? absent : value;
    }

    public boolean containsKey(final Object key) {
        return get(key) != null;
    }

    /**
     * This map with {@code key} mapped to {@code value}. Returns {@code this} when the key is
     * already mapped to that very value (identity), so callers can detect "no change" cheaply.
     * An existing equal key object is kept.
     */
    public PersistentMap<K, V> put(final K key, final V value) {
        final int hash = Objects.requireNonNull(key, "key").hashCode();
        Objects.requireNonNull(value, "value");
        final V previous = get(key);
        if (previous == value) {
            return this;
        }
        return new PersistentMap<>(root.put(key, value, hash, 0), previous == null ? size + 1 : size);
    }

    /** This map without {@code key}; {@code this} when the key is absent. */
    public PersistentMap<K, V> remove(final Object key) {
        final V previous = get(key);
        if (previous == null) {
            return this;
        }
        final int hash = key.hashCode();
        if (size == 1) {
            return empty();
        }
        return new PersistentMap<>(root.remove(key, hash, 0), size - 1);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Applies {@code action} to every entry, in iteration order. */
    public void forEach(final BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        root.forEach(action);
    }

    /** The entries, as immutable {@link Map#entry} pairs. */
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new ChampIterator<K, V, Map.Entry<K, V>>(root, Map::entry);
    }

    public Iterable<K> keys() {
        return () -> new ChampIterator<K, V, K>(root, (k, v) -> k);
    }

    public Iterable<V> values() {
        return () -> new ChampIterator<K, V, V>(root, (k, v) -> v);
    }

    /**
     * Reports to {@code out} every key whose value in this map is another object than in
     * {@code earlier} (added, removed or replaced). Sub-tries the two maps share are skipped, so
     * for a map derived from {@code earlier} by a few updates the cost is those few entries times
     * the trie depth ({@link ChampDiff}), however large the maps are.
     */
    public void changesSince(final PersistentMap<K, V> earlier, final Difference<K, V> out) {
        Objects.requireNonNull(out, "out");
        ChampDiff.compare(earlier.root, root, 0, out);
    }

    /** The trie root, for the structural checks in the tests. */
    ChampNode<K, V> root() {
        return root;
    }

    /** Equal when both maps hold equal values under equal keys. */
    @Override
    public boolean equals(final Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PersistentMap<?, ?> that) || size != that.size) {
            return false;
        }
        for (final Map.Entry<K, V> entry : this) {
            if (!entry.getValue().equals(that.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The same value as {@link Map#hashCode()} of a java.util map with these entries; O(n). */
    @Override
    public int hashCode() {
        final int[] sum = {0};
        root.forEach((k, v) -> sum[0] += k.hashCode() ^ v.hashCode());
        return sum[0];
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder("{");
        forEach((k, v) -> out.append(out.length() == 1 ? "" : ", ").append(k).append('=').append(v));
        return out.append('}').toString();
    }
}
