package io.checkedmqtt.core.routing;

import java.util.Collection;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The immutable hash map inside the routing tries: a hash array mapped trie (Bagwell 2001, as in
 * Clojure's PersistentHashMap). {@link #put} and {@link #remove} copy only the path from the root
 * to the changed entry, so they cost O(log32 n) and the old map stays valid and unchanged.
 *
 * <p>Why not {@link io.checkedmqtt.core.collect.PersistentMap}: matching walks a topic by index
 * and looks each level up with {@link #getRegion}, by a region of the topic string, without
 * creating the substring; and most trie nodes have exactly one child and one subscriber, so a
 * one-entry map holds its entry inline (32 bytes instead of a map, a node and an array). Use the
 * collect package everywhere else.
 *
 * <p>The nodes ({@link HashTrieNode}) recurse once per level, at most eight levels deep,
 * whatever the map holds: the depth is bounded by the 32-bit hash, not by the input.
 *
 * <p>Keys and values are non-null. Iteration order depends only on the keys' hash codes and, for
 * keys with equal hashes, on insertion order, so the same operations give the same order.
 */
final class HashTrieMap<K, V> {

    private static final HashTrieMap<Object, Object> EMPTY = new HashTrieMap<>(null, 0);

    /** The trie when the map holds two or more entries; null for none or one. */
    private final HashTrieNode root;
    private final int size;
    /** The entry of a one-entry map, held inline: most trie nodes have one child and one subscriber. */
    private final Object singleKey;
    private final Object singleValue;

    private HashTrieMap(HashTrieNode root, int size) {
        this.root = root;
        this.size = size;
        this.singleKey = null;
        this.singleValue = null;
    }

    private HashTrieMap(Object key, Object value) {
        this.root = null;
        this.size = 1;
        this.singleKey = key;
        this.singleValue = value;
    }

    /** The empty map (one shared instance). */
    @SuppressWarnings("unchecked")
    static <K, V> HashTrieMap<K, V> empty() {
        return (HashTrieMap<K, V>) EMPTY;
    }

    int size() {
        return size;
    }

    /** The trie of a map of two or more entries; null for none or one (for {@link HashTrieDiff}). */
    HashTrieNode root() {
        return root;
    }

    /** The inline entry of a one-entry map; null otherwise. */
    Object singleKey() {
        return singleKey;
    }

    Object singleValue() {
        return singleValue;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The value for the key, or null. */
    @SuppressWarnings("unchecked")
    V get(Object key) {
        if (root == null) {
            return size == 1 && key.equals(singleKey) ? (V) singleValue : null;
        }
        return (V) root.find(0, HashTrieNode.spread(key.hashCode()), key);
    }

    boolean containsKey(Object key) {
        return get(key) != null;
    }

    /**
     * The value for the String key equal to {@code s.substring(from, to)}, or null; allocates
     * nothing. Only meaningful for maps whose keys are Strings.
     */
    @SuppressWarnings("unchecked")
    V getRegion(String s, int from, int to) {
        if (root == null) {
            return size == 1 && HashTrieNode.regionEquals(singleKey, s, from, to) ? (V) singleValue : null;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i); // String.hashCode over the region
        }
        return (V) root.findRegion(0, HashTrieNode.spread(h), s, from, to);
    }

    /** This map with {@code key} bound to {@code value}; this map itself when nothing changes. */
    HashTrieMap<K, V> put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (size == 0) {
            return new HashTrieMap<>(key, value);
        }
        if (root == null) { // one entry, inline
            if (key.equals(singleKey)) {
                return value == singleValue ? this : new HashTrieMap<>(key, value);
            }
            return new HashTrieMap<>(HashTrieNode.Bitmap.pair(0, singleKey, singleValue, HashTrieNode.spread(key.hashCode()), key, value), 2);
        }
        int hash = HashTrieNode.spread(key.hashCode());
        HashTrieNode newRoot = root.put(0, hash, key, value);
        if (newRoot == root) {
            return this;
        }
        int newSize = root.find(0, hash, key) == null ? size + 1 : size;
        return new HashTrieMap<>(newRoot, newSize);
    }

    /** This map without {@code key}; this map itself when the key is absent. */
    HashTrieMap<K, V> remove(Object key) {
        if (root == null) {
            return size == 1 && key.equals(singleKey) ? empty() : this;
        }
        HashTrieNode newRoot = root.remove(0, HashTrieNode.spread(key.hashCode()), key);
        if (newRoot == root) {
            return this;
        }
        if (size == 2) { // back to one inline entry
            Object[] last = new Object[2];
            newRoot.forEach((k, v) -> {
                last[0] = k;
                last[1] = v;
            });
            return new HashTrieMap<>(last[0], last[1]);
        }
        return new HashTrieMap<>(newRoot, size - 1);
    }

    /** Adds every value to {@code out}, in iteration order. */
    @SuppressWarnings("unchecked")
    void addValuesTo(Collection<? super V> out) {
        if (root != null) {
            root.addValues((Collection<Object>) out);
        } else if (size == 1) {
            out.add((V) singleValue);
        }
    }

    /** Calls {@code action} for every entry, in iteration order. */
    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<? super K, ? super V> action) {
        if (root != null) {
            root.forEach((BiConsumer<Object, Object>) action);
        } else if (size == 1) {
            action.accept((K) singleKey, (V) singleValue);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HashTrieMap<?, ?> other) || other.size != size) {
            return false;
        }
        boolean[] same = {true};
        forEach((k, v) -> {
            if (same[0] && !v.equals(other.get(k))) {
                same[0] = false;
            }
        });
        return same[0];
    }

    @Override
    public int hashCode() {
        int[] h = {0};
        forEach((k, v) -> h[0] += k.hashCode() ^ v.hashCode());
        return h[0];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(v);
        });
        return sb.append('}').toString();
    }
}
