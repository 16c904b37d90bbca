package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.collect.Difference;

import java.util.function.BiConsumer;

/**
 * The entries that differ between two {@link HashTrieMap}s, found by walking both tries at once
 * and skipping every sub-trie they share (the same node object: an update copies only its path),
 * as {@code PersistentMap.changesSince} does for the other trie. Where the two sides do not line
 * up (an entry against a sub-node, a collision node) the few entries there are compared by
 * lookup. One recursion per trie level: at most eight deep, whatever the maps hold.
 */
final class HashTrieDiff {

    private HashTrieDiff() {
    }

    /** Reports every key whose value is another object in {@code after} than in {@code before}. */
    static <K, V> void compare(HashTrieMap<K, V> before, HashTrieMap<K, V> after, Difference<K, V> out) {
        if (before == after) {
            return;
        }
        if (before.root() != null && after.root() != null) {
            compare(before.root(), after.root(), 0, out);
            return;
        }
        compareByLookup(Slot.whole(before), Slot.whole(after), out);
    }

    private static <K, V> void compare(HashTrieNode before, HashTrieNode after, int shift, Difference<K, V> out) {
        if (before == after) {
            return;
        }
        if (before instanceof HashTrieNode.Bitmap b && after instanceof HashTrieNode.Bitmap a) {
            int slots = b.bitmap | a.bitmap;
            while (slots != 0) {
                int bit = Integer.lowestOneBit(slots);
                slots ^= bit;
                Slot<K, V> was = Slot.of(b, bit, shift + HashTrieNode.BITS);
                Slot<K, V> now = Slot.of(a, bit, shift + HashTrieNode.BITS);
                if (was.node() != null && now.node() != null) {
                    compare(was.node(), now.node(), shift + HashTrieNode.BITS, out);
                } else {
                    compareByLookup(was, now, out);
                }
            }
            return;
        }
        compareByLookup(new Slot<>(null, null, before, shift), new Slot<>(null, null, after, shift), out);
    }

    private static <K, V> void compareByLookup(Slot<K, V> before, Slot<K, V> after, Difference<K, V> out) {
        before.forEach((key, was) -> {
            V now = after.find(key);
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

    /** One entry, a sub-node at {@code shift}, or nothing; for a whole map, its inline entry or root. */
    private record Slot<K, V>(Object key, Object value, HashTrieNode node, int shift) {

        static <K, V> Slot<K, V> whole(HashTrieMap<K, V> map) {
            return map.root() != null ? new Slot<>(null, null, map.root(), 0)
                    : new Slot<>(map.singleKey(), map.singleValue(), null, 0);
        }

        static <K, V> Slot<K, V> of(HashTrieNode.Bitmap parent, int bit, int shift) {
            if ((parent.bitmap & bit) == 0) {
                return new Slot<>(null, null, null, shift);
            }
            int idx = 2 * Integer.bitCount(parent.bitmap & (bit - 1));
            Object k = parent.array[idx];
            Object v = parent.array[idx + 1];
            return k == null ? new Slot<>(null, null, (HashTrieNode) v, shift) : new Slot<>(k, v, null, shift);
        }

        @SuppressWarnings("unchecked")
        V find(K k) {
            if (node != null) {
                return (V) node.find(shift, HashTrieNode.spread(k.hashCode()), k);
            }
            return key != null && key.equals(k) ? (V) value : null;
        }

        @SuppressWarnings("unchecked")
        void forEach(BiConsumer<K, V> action) {
            if (node != null) {
                node.forEach((k, v) -> action.accept((K) k, (V) v));
            } else if (key != null) {
                action.accept((K) key, (V) value);
            }
        }
    }
}
