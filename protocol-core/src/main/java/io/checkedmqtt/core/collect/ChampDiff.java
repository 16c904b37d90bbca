package io.checkedmqtt.core.collect;

import java.util.function.BiConsumer;

/**
 * The entries that differ between two {@link PersistentMap} tries, found by walking both at
 * once: a sub-trie the two share (the same node object, which path copying leaves in place for
 * everything an update did not touch) is skipped without a look inside, so the cost is the
 * number of changed entries times the trie depth, not the size of the maps.
 *
 * <p>Where the two tries have the same kind of slot (two sub-nodes) the walk goes down one
 * level; anywhere else (an inline entry on one side and a sub-node or nothing on the other, or
 * a collision node) it compares the few entries there by lookup. The recursion goes one level
 * per call, so it is at most {@link ChampNode#MAX_DEPTH} deep.
 */
final class ChampDiff {

    private ChampDiff() {
    }

    static <K, V> void compare(final ChampNode<K, V> before, final ChampNode<K, V> after, final int shift,
                               final Difference<K, V> out) {
        if (before == after) {
            return;
        }
        if (before instanceof BitmapIndexedNode<K, V> b && after instanceof BitmapIndexedNode<K, V> a) {
            int slots = b.dataMap() | b.nodeMap() | a.dataMap() | a.nodeMap();
            while (slots != 0) {
                final int bit = Integer.lowestOneBit(slots);
                slots ^= bit;
                if ((b.nodeMap() & bit) != 0 && (a.nodeMap() & bit) != 0) {
                    compare(b.nodeForBit(bit), a.nodeForBit(bit), shift + ChampNode.BITS_PER_LEVEL, out);
                } else {
                    final int below = shift + ChampNode.BITS_PER_LEVEL;
                    compareByLookup(Slot.of(b, bit, below), Slot.of(a, bit, below), out);
                }
            }
            return;
        }
        compareByLookup(new Slot<>(null, null, before, shift), new Slot<>(null, null, after, shift), out);
    }

    private static <K, V> void compareByLookup(final Slot<K, V> before, final Slot<K, V> after,
                                               final Difference<K, V> out) {
        before.forEach((key, was) -> {
            final V now = after.find(key);
            if (now != was) {
                out.entry(key, was, now);
            }
        });
        after.forEach((key, now) -> {
            if (before.find(key) == null) {
                out.entry(key, null, now);
            }
        });
    }

    /** What one slot of a node holds: one inline entry, a sub-node at {@code shift}, or nothing. */
    private record Slot<K, V>(K key, V value, ChampNode<K, V> node, int shift) {

        static <K, V> Slot<K, V> of(final BitmapIndexedNode<K, V> parent, final int bit, final int shift) {
            if ((parent.dataMap() & bit) != 0) {
                return new Slot<>(parent.keyForBit(bit), parent.valueForBit(bit), null, shift);
            }
            return new Slot<>(null, null, (parent.nodeMap() & bit) != 0 ? parent.nodeForBit(bit) : null, shift);
        }

        V find(final K k) {
            if (node != null) {
                return node.find(k, k.hashCode(), shift);
            }
            return key != null && key.equals(k) ? value : null;
        }

        void forEach(final BiConsumer<K, V> action) {
            if (node != null) {
                node.forEach(action);
            } else if (key != null) {
                action.accept(key, value);
            }
        }
    }
}
