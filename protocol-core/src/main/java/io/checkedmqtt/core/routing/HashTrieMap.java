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
 * <p>The node methods recurse once per trie level. A level consumes five bits of the key's
 * 32-bit (spread) hash, so a path has at most seven bitmap levels and one collision node,
 * however many entries the map holds and however long the keys are: the recursion depth is
 * bounded by the hash width, not by the input.
 *
 * <p>Keys and values are non-null. Iteration order depends only on the keys' hash codes and, for
 * keys with equal hashes, on insertion order, so the same operations give the same order.
 */
final class HashTrieMap<K, V> {

    private static final HashTrieMap<Object, Object> EMPTY = new HashTrieMap<>(null, 0);
    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;

    /** The trie when the map holds two or more entries; null for none or one. */
    private final Node root;
    private final int size;
    /** The entry of a one-entry map, held inline: most trie nodes have one child and one subscriber. */
    private final Object singleKey;
    private final Object singleValue;

    private HashTrieMap(Node root, int size) {
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

    boolean isEmpty() {
        return size == 0;
    }

    /** The value for the key, or null. */
    @SuppressWarnings("unchecked")
    V get(Object key) {
        if (root == null) {
            return size == 1 && key.equals(singleKey) ? (V) singleValue : null;
        }
        return (V) root.find(0, spread(key.hashCode()), key);
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
            return size == 1 && regionEquals(singleKey, s, from, to) ? (V) singleValue : null;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i); // String.hashCode over the region
        }
        return (V) root.findRegion(0, spread(h), s, from, to);
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
            return new HashTrieMap<>(BitmapNode.pair(0, singleKey, singleValue, spread(key.hashCode()), key, value), 2);
        }
        int hash = spread(key.hashCode());
        Node newRoot = root.put(0, hash, key, value);
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
        Node newRoot = root.remove(0, spread(key.hashCode()), key);
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

    /** Mixes the high bits into the low ones, which pick the first branches. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static boolean regionEquals(Object key, String s, int from, int to) {
        return key instanceof String k && k.length() == to - from && k.regionMatches(0, s, from, to - from);
    }

    /** A trie node; every method that descends recurses at most eight levels (see the class comment). */
    private abstract static class Node {
        abstract Object find(int shift, int hash, Object key);

        abstract Object findRegion(int shift, int hash, String s, int from, int to);

        abstract Node put(int shift, int hash, Object key, Object value);

        /** The node without the key, this node when absent, null when it becomes empty. */
        abstract Node remove(int shift, int hash, Object key);

        abstract void addValues(Collection<Object> out);

        abstract void forEach(BiConsumer<Object, Object> action);
    }

    /**
     * Up to 32 branches, present ones marked in {@code bitmap}; {@code array} holds two slots per
     * branch: (key, value) for an entry, or (null, Node) for a subtree.
     */
    private static final class BitmapNode extends Node {
        final int bitmap;
        final Object[] array;

        BitmapNode(int bitmap, Object[] array) {
            this.bitmap = bitmap;
            this.array = array;
        }

        private int index(int bit) {
            return 2 * Integer.bitCount(bitmap & (bit - 1));
        }

        @Override
        Object find(int shift, int hash, Object key) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((bitmap & bit) == 0) {
                return null;
            }
            int idx = index(bit);
            Object k = array[idx];
            if (k == null) {
                return ((Node) array[idx + 1]).find(shift + BITS, hash, key);
            }
            return key.equals(k) ? array[idx + 1] : null;
        }

        @Override
        Object findRegion(int shift, int hash, String s, int from, int to) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((bitmap & bit) == 0) {
                return null;
            }
            int idx = index(bit);
            Object k = array[idx];
            if (k == null) {
                return ((Node) array[idx + 1]).findRegion(shift + BITS, hash, s, from, to);
            }
            return regionEquals(k, s, from, to) ? array[idx + 1] : null;
        }

        @Override
        Node put(int shift, int hash, Object key, Object value) {
            int bit = 1 << ((hash >>> shift) & MASK);
            int idx = index(bit);
            if ((bitmap & bit) == 0) {
                Object[] grown = new Object[array.length + 2];
                System.arraycopy(array, 0, grown, 0, idx);
                grown[idx] = key;
                grown[idx + 1] = value;
                System.arraycopy(array, idx, grown, idx + 2, array.length - idx);
                return new BitmapNode(bitmap | bit, grown);
            }
            Object k = array[idx];
            Object v = array[idx + 1];
            if (k == null) {
                Node sub = (Node) v;
                Node newSub = sub.put(shift + BITS, hash, key, value);
                return newSub == sub ? this : with(idx, null, newSub);
            }
            if (key.equals(k)) {
                return v == value ? this : with(idx, k, value);
            }
            return with(idx, null, pair(shift + BITS, k, v, hash, key, value));
        }

        private BitmapNode with(int idx, Object key, Object value) {
            Object[] copy = array.clone();
            copy[idx] = key;
            copy[idx + 1] = value;
            return new BitmapNode(bitmap, copy);
        }

        static Node pair(int shift, Object k1, Object v1, int h2, Object k2, Object v2) {
            int h1 = spread(k1.hashCode());
            if (h1 == h2) {
                return new CollisionNode(h1, new Object[] {k1, v1, k2, v2});
            }
            // The hashes differ in some bit below 32, so this splits by shift 30 at the latest.
            return new BitmapNode(1 << ((h1 >>> shift) & MASK), new Object[] {k1, v1})
                    .put(shift, h2, k2, v2);
        }

        @Override
        Node remove(int shift, int hash, Object key) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int idx = index(bit);
            Object k = array[idx];
            if (k == null) {
                Node sub = (Node) array[idx + 1];
                Node newSub = sub.remove(shift + BITS, hash, key);
                if (newSub == sub) {
                    return this;
                }
                if (newSub == null) {
                    return without(bit, idx);
                }
                if (newSub instanceof BitmapNode b && b.array.length == 2 && b.array[0] != null) {
                    return with(idx, b.array[0], b.array[1]); // pull a lone entry up
                }
                return with(idx, null, newSub);
            }
            return key.equals(k) ? without(bit, idx) : this;
        }

        private Node without(int bit, int idx) {
            if (bitmap == bit) {
                return null;
            }
            Object[] shrunk = new Object[array.length - 2];
            System.arraycopy(array, 0, shrunk, 0, idx);
            System.arraycopy(array, idx + 2, shrunk, idx, array.length - idx - 2);
            return new BitmapNode(bitmap & ~bit, shrunk);
        }

        @Override
        void addValues(Collection<Object> out) {
            for (int i = 0; i < array.length; i += 2) {
                if (array[i] == null) {
                    ((Node) array[i + 1]).addValues(out);
                } else {
                    out.add(array[i + 1]);
                }
            }
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < array.length; i += 2) {
                if (array[i] == null) {
                    ((Node) array[i + 1]).forEach(action);
                } else {
                    action.accept(array[i], array[i + 1]);
                }
            }
        }
    }

    /** Entries whose keys have the same full hash, as (key, value) pairs in insertion order. */
    private static final class CollisionNode extends Node {
        final int hash;
        final Object[] array;

        CollisionNode(int hash, Object[] array) {
            this.hash = hash;
            this.array = array;
        }

        @Override
        Object find(int shift, int hash, Object key) {
            if (hash == this.hash) {
                for (int i = 0; i < array.length; i += 2) {
                    if (key.equals(array[i])) {
                        return array[i + 1];
                    }
                }
            }
            return null;
        }

        @Override
        Object findRegion(int shift, int hash, String s, int from, int to) {
            if (hash == this.hash) {
                for (int i = 0; i < array.length; i += 2) {
                    if (regionEquals(array[i], s, from, to)) {
                        return array[i + 1];
                    }
                }
            }
            return null;
        }

        @Override
        Node put(int shift, int hash, Object key, Object value) {
            if (hash != this.hash) {
                // Put this node one level down, under a bitmap node that can hold both.
                BitmapNode wrapper = new BitmapNode(1 << ((this.hash >>> shift) & MASK), new Object[] {null, this});
                return wrapper.put(shift, hash, key, value);
            }
            for (int i = 0; i < array.length; i += 2) {
                if (key.equals(array[i])) {
                    if (array[i + 1] == value) {
                        return this;
                    }
                    Object[] copy = array.clone();
                    copy[i + 1] = value;
                    return new CollisionNode(hash, copy);
                }
            }
            Object[] grown = new Object[array.length + 2];
            System.arraycopy(array, 0, grown, 0, array.length);
            grown[array.length] = key;
            grown[array.length + 1] = value;
            return new CollisionNode(hash, grown);
        }

        @Override
        Node remove(int shift, int hash, Object key) {
            if (hash != this.hash) {
                return this;
            }
            for (int i = 0; i < array.length; i += 2) {
                if (key.equals(array[i])) {
                    if (array.length == 4) {
                        // one entry left: an ordinary single-entry node at this level
                        Object k = array[2 - i];
                        return new BitmapNode(1 << ((hash >>> shift) & MASK), new Object[] {k, array[3 - i]});
                    }
                    Object[] shrunk = new Object[array.length - 2];
                    System.arraycopy(array, 0, shrunk, 0, i);
                    System.arraycopy(array, i + 2, shrunk, i, array.length - i - 2);
                    return new CollisionNode(hash, shrunk);
                }
            }
            return this;
        }

        @Override
        void addValues(Collection<Object> out) {
            for (int i = 0; i < array.length; i += 2) {
                out.add(array[i + 1]);
            }
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < array.length; i += 2) {
                action.accept(array[i], array[i + 1]);
            }
        }
    }
}
