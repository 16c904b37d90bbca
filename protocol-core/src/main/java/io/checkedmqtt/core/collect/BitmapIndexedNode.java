package io.checkedmqtt.core.collect;

/**
 * A CHAMP trie node: up to 32 slots, one per value of the five hash bits this level consumes.
 * A slot is empty, holds one entry inline ({@code dataMap} bit set), or points to a sub-node
 * ({@code nodeMap} bit set), never both.
 *
 * <p>{@code content} is compact: the inline entries first, as {@code [k0, v0, k1, v1, ...]} in
 * slot order, then the sub-nodes in <em>reverse</em> slot order from the end of the array. The
 * two groups therefore grow towards each other and a migration between them is a single copy.
 * The array is built by the {@code copyAnd...} methods and never written after the constructor
 * returns (path copying).
 */
final class BitmapIndexedNode<K, V> implements ChampNode<K, V> {

    private static final BitmapIndexedNode<?, ?> EMPTY = new BitmapIndexedNode<>(0, 0, new Object[0]);

    private final int dataMap;
    private final int nodeMap;
    private final Object[] content;

    private BitmapIndexedNode(final int dataMap, final int nodeMap, final Object[] content) {
        this.dataMap = dataMap;
        this.nodeMap = nodeMap;
        this.content = content;
    }

    @SuppressWarnings("unchecked")
    static <K, V> BitmapIndexedNode<K, V> empty() {
        return (BitmapIndexedNode<K, V>) EMPTY;
    }

    /** The slot ({@code 0..31}) that {@code hash} selects at the level using bits from {@code shift}. */
    static int slot(final int hash, final int shift) {
        return (hash >>> shift) & 0x1f;
    }

    private int dataIndex(final int bit) {
        return Integer.bitCount(dataMap & (bit - 1));
    }

    private int nodeIndex(final int bit) {
        return Integer.bitCount(nodeMap & (bit - 1));
    }

    @SuppressWarnings("unchecked")
    ChampNode<K, V> nodeForBit(final int bit) {
        return (ChampNode<K, V>) content[content.length - 1 - nodeIndex(bit)];
    }

    @SuppressWarnings("unchecked")
    K keyForBit(final int bit) {
        return (K) content[2 * dataIndex(bit)];
    }

    @SuppressWarnings("unchecked")
    V valueForBit(final int bit) {
        return (V) content[2 * dataIndex(bit) + 1];
    }

    int dataMap() {
        return dataMap;
    }

    int nodeMap() {
        return nodeMap;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V find(final Object key, final int hash, final int shift) {
        final int bit = 1 << slot(hash, shift);
        if ((dataMap & bit) != 0) {
            final int i = 2 * dataIndex(bit);
            return content[i].equals(key) ? (V) content[i + 1] : null;
        }
        if ((nodeMap & bit) != 0) {
            return nodeForBit(bit).find(key, hash, shift + BITS_PER_LEVEL); // at most MAX_DEPTH deep
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ChampNode<K, V> put(final K key, final V value, final int hash, final int shift) {
        final int bit = 1 << slot(hash, shift);
        if ((dataMap & bit) != 0) {
            final int i = 2 * dataIndex(bit);
            final K present = (K) content[i];
            if (present.equals(key)) {
                // Keep the stored key, as java.util.HashMap does; replace only the value.
                return content[i + 1] == value ? this : copyAndSetValue(i + 1, value);
            }
            final ChampNode<K, V> pushedDown = mergeTwo(present, (V) content[i + 1], present.hashCode(),
                    key, value, hash, shift + BITS_PER_LEVEL);
            return copyAndMigrateFromInlineToNode(bit, pushedDown);
        }
        if ((nodeMap & bit) != 0) {
            final ChampNode<K, V> child = nodeForBit(bit);
            final ChampNode<K, V> updated = child.put(key, value, hash, shift + BITS_PER_LEVEL); // at most MAX_DEPTH deep
            return updated == child ? this : copyAndSetNode(bit, updated);
        }
        return copyAndInsertValue(bit, key, value);
    }

    @Override
    public ChampNode<K, V> remove(final Object key, final int hash, final int shift) {
        final int bit = 1 << slot(hash, shift);
        if ((dataMap & bit) != 0) {
            final int i = 2 * dataIndex(bit);
            // A non-root node left with one entry is inlined by its parent (see below).
            return content[i].equals(key) ? copyAndRemoveValue(bit, i) : this;
        }
        if ((nodeMap & bit) != 0) {
            final ChampNode<K, V> child = nodeForBit(bit);
            final ChampNode<K, V> updated = child.remove(key, hash, shift + BITS_PER_LEVEL); // at most MAX_DEPTH deep
            if (updated == child) {
                return this;
            }
            return updated.isSingleEntry()
                    ? copyAndMigrateFromNodeToInline(bit, updated.keyAt(0), updated.valueAt(0))
                    : copyAndSetNode(bit, updated);
        }
        return this;
    }

    /**
     * A node holding two entries that collided in the parent's slot, placed at the level that
     * starts at {@code shift}. Once the hash is used up the two keys have equal hashes and go
     * into a collision node, so the recursion is at most {@code MAX_DEPTH} deep.
     */
    static <K, V> ChampNode<K, V> mergeTwo(final K k0, final V v0, final int h0,
                                           final K k1, final V v1, final int h1, final int shift) {
        if (shift >= HASH_BITS) {
            return HashCollisionNode.of(h0, k0, v0, k1, v1);
        }
        final int s0 = slot(h0, shift);
        final int s1 = slot(h1, shift);
        if (s0 != s1) {
            final Object[] content = s0 < s1 ? new Object[] {k0, v0, k1, v1} : new Object[] {k1, v1, k0, v0};
            return new BitmapIndexedNode<>((1 << s0) | (1 << s1), 0, content);
        }
        final ChampNode<K, V> child = mergeTwo(k0, v0, h0, k1, v1, h1, shift + BITS_PER_LEVEL);
        return new BitmapIndexedNode<>(0, 1 << s0, new Object[] {child});
    }

    private BitmapIndexedNode<K, V> copyAndSetValue(final int valueIndex, final V value) {
        final Object[] copy = content.clone();
        copy[valueIndex] = value;
        return new BitmapIndexedNode<>(dataMap, nodeMap, copy);
    }

    private BitmapIndexedNode<K, V> copyAndSetNode(final int bit, final ChampNode<K, V> node) {
        final Object[] copy = content.clone();
        copy[content.length - 1 - nodeIndex(bit)] = node;
        return new BitmapIndexedNode<>(dataMap, nodeMap, copy);
    }

    private BitmapIndexedNode<K, V> copyAndInsertValue(final int bit, final K key, final V value) {
        final int i = 2 * dataIndex(bit);
        final Object[] copy = new Object[content.length + 2];
        System.arraycopy(content, 0, copy, 0, i);
        copy[i] = key;
        copy[i + 1] = value;
        System.arraycopy(content, i, copy, i + 2, content.length - i);
        return new BitmapIndexedNode<>(dataMap | bit, nodeMap, copy);
    }

    private BitmapIndexedNode<K, V> copyAndRemoveValue(final int bit, final int i) {
        final Object[] copy = new Object[content.length - 2];
        System.arraycopy(content, 0, copy, 0, i);
        System.arraycopy(content, i + 2, copy, i, content.length - i - 2);
        return new BitmapIndexedNode<>(dataMap ^ bit, nodeMap, copy);
    }

    /** Replaces the inline entry in {@code bit}'s slot by {@code node}, which holds it and a newcomer. */
    private BitmapIndexedNode<K, V> copyAndMigrateFromInlineToNode(final int bit, final ChampNode<K, V> node) {
        final int from = 2 * dataIndex(bit);
        // nodeIndex(bit) counts the sub-nodes in lower slots: the new node's index once inserted.
        final int to = content.length - 2 - nodeIndex(bit);
        final Object[] copy = new Object[content.length - 1];
        System.arraycopy(content, 0, copy, 0, from);
        System.arraycopy(content, from + 2, copy, from, to - from);
        copy[to] = node;
        System.arraycopy(content, to + 2, copy, to + 1, content.length - to - 2);
        return new BitmapIndexedNode<>(dataMap ^ bit, nodeMap | bit, copy);
    }

    /** Replaces the sub-node in {@code bit}'s slot by its one remaining entry. */
    private BitmapIndexedNode<K, V> copyAndMigrateFromNodeToInline(final int bit, final K key, final V value) {
        final int from = content.length - 1 - nodeIndex(bit);
        final int to = 2 * dataIndex(bit);
        final Object[] copy = new Object[content.length + 1];
        System.arraycopy(content, 0, copy, 0, to);
        copy[to] = key;
        copy[to + 1] = value;
        System.arraycopy(content, to, copy, to + 2, from - to);
        System.arraycopy(content, from + 1, copy, from + 2, content.length - from - 1);
        return new BitmapIndexedNode<>(dataMap ^ bit, nodeMap ^ bit, copy);
    }

    @Override
    public int dataArity() {
        return Integer.bitCount(dataMap);
    }

    @Override
    public int nodeArity() {
        return Integer.bitCount(nodeMap);
    }

    @Override
    @SuppressWarnings("unchecked")
    public K keyAt(final int index) {
        return (K) content[2 * index];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V valueAt(final int index) {
        return (V) content[2 * index + 1];
    }

    /** Sub-node by index in slot order. */
    @Override
    @SuppressWarnings("unchecked")
    public ChampNode<K, V> nodeAt(final int index) {
        return (ChampNode<K, V>) content[content.length - 1 - index];
    }
}
