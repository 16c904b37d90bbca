package io.checkedmqtt.core.collect;

import java.util.function.BiConsumer;

/**
 * One node of the {@link PersistentMap} trie. Every operation returns a new node (or {@code this}
 * when nothing changed) and never modifies the receiver.
 *
 * <p>The trie consumes the key's {@code hashCode()} five bits at a time, lowest bits first:
 * level {@code d} uses bits {@code 5d .. 5d+4}, so there are seven levels of {@link
 * BitmapIndexedNode} (the last one uses the two top bits) and, below them, {@link
 * HashCollisionNode}s for keys whose whole 32-bit hashes are equal.
 *
 * <p>{@link #find}, {@link #put}, {@link #remove}, {@link #forEach} and
 * {@link BitmapIndexedNode#mergeTwo} recurse once per level, so their depth is at most
 * {@link #MAX_DEPTH} (eight): it is fixed by the 32 hash bits, not by the number or size of the
 * entries.
 *
 * <p>Canonical form, kept by every update and checked by the tests: a node other than the root
 * never holds exactly one entry and no sub-node (its parent holds that entry inline instead),
 * and a collision node holds at least two entries.
 */
sealed interface ChampNode<K, V> permits BitmapIndexedNode, HashCollisionNode {

    /** Bits of the hash consumed per level. */
    int BITS_PER_LEVEL = 5;

    /** Shift at which the hash is used up: below it only collision nodes live. */
    int HASH_BITS = 32;

    /** Deepest path from the root: seven bitmap levels plus one collision node. */
    int MAX_DEPTH = (HASH_BITS + BITS_PER_LEVEL - 1) / BITS_PER_LEVEL + 1;

    /** The value mapped to {@code key}, or null. {@code hash} is {@code key.hashCode()}. */
    V find(Object key, int hash, int shift);

    /** This node with {@code key} mapped to {@code value}; {@code this} if it already was. */
    ChampNode<K, V> put(K key, V value, int hash, int shift);

    /** This node without {@code key}; {@code this} if the key was absent. */
    ChampNode<K, V> remove(Object key, int hash, int shift);

    /** Number of entries held inline in this node. */
    int dataArity();

    /** Number of sub-nodes. */
    int nodeArity();

    K keyAt(int index);

    V valueAt(int index);

    ChampNode<K, V> nodeAt(int index);

    /** True when the node holds one entry and nothing else, so its parent should inline it. */
    default boolean isSingleEntry() {
        return dataArity() == 1 && nodeArity() == 0;
    }

    /** Applies {@code action} to every entry below this node, in trie order (recursion: at most {@link #MAX_DEPTH} deep). */
    default void forEach(final BiConsumer<? super K, ? super V> action) {
        final int data = dataArity();
        for (int i = 0; i < data; i++) {
            action.accept(keyAt(i), valueAt(i));
        }
        final int nodes = nodeArity();
        for (int i = 0; i < nodes; i++) {
            nodeAt(i).forEach(action);
        }
    }
}
