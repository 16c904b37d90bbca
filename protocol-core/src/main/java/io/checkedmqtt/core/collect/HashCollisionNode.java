package io.checkedmqtt.core.collect;

import java.util.Arrays;

/**
 * Leaf for keys whose 32-bit hash codes are all equal: a flat array of key/value pairs searched
 * with {@code equals}. It only ever sits below the last bitmap level, so every key that reaches
 * it has the same hash; it always holds at least two entries.
 *
 * <p>{@code keyValues} is {@code [k0, v0, k1, v1, ...]}; it is built by the static factories and
 * never written afterwards.
 */
final class HashCollisionNode<K, V> implements ChampNode<K, V> {

    private final int hash;
    private final Object[] keyValues;

    private HashCollisionNode(final int hash, final Object[] keyValues) {
        this.hash = hash;
        this.keyValues = keyValues;
    }

    static <K, V> HashCollisionNode<K, V> of(final int hash, final K k0, final V v0, final K k1, final V v1) {
        return new HashCollisionNode<>(hash, new Object[] {k0, v0, k1, v1});
    }

    int hash() {
        return hash;
    }

    private int indexOf(final Object key) {
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V find(final Object key, final int keyHash, final int shift) {
        if (keyHash != hash) {
            return null;
        }
        final int i = indexOf(key);
        return i < 0 ? null : (V) keyValues[i + 1];
    }

    @Override
    public ChampNode<K, V> put(final K key, final V value, final int keyHash, final int shift) {
        final int i = indexOf(key);
        if (i >= 0) {
            if (keyValues[i + 1] == value) {
                return this;
            }
            final Object[] copy = keyValues.clone();
            copy[i + 1] = value;
            return new HashCollisionNode<>(hash, copy);
        }
        final Object[] grown = Arrays.copyOf(keyValues, keyValues.length + 2);
        grown[keyValues.length] = key;
        grown[keyValues.length + 1] = value;
        return new HashCollisionNode<>(hash, grown);
    }

    @Override
    public ChampNode<K, V> remove(final Object key, final int keyHash, final int shift) {
        final int i = indexOf(key);
        if (keyHash != hash || i < 0) {
            return this;
        }
        // Two entries become one: the parent sees isSingleEntry() and inlines the survivor.
        final Object[] shrunk = new Object[keyValues.length - 2];
        System.arraycopy(keyValues, 0, shrunk, 0, i);
        System.arraycopy(keyValues, i + 2, shrunk, i, keyValues.length - i - 2);
        return new HashCollisionNode<>(hash, shrunk);
    }

    @Override
    public int dataArity() {
        return keyValues.length / 2;
    }

    @Override
    public int nodeArity() {
        return 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public K keyAt(final int index) {
        return (K) keyValues[2 * index];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V valueAt(final int index) {
        return (V) keyValues[2 * index + 1];
    }

    @Override
    public ChampNode<K, V> nodeAt(final int index) {
        throw new IndexOutOfBoundsException("a collision node has no sub-nodes");
    }
}
