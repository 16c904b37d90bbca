package io.checkedmqtt.core.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

/** Structural checks of a CHAMP trie: placement by hash, compact arrays, canonical form. */
final class ChampInvariants {

    private ChampInvariants() {
    }

    /** Asserts the trie is well formed and canonical, and holds {@code map.size()} entries. */
    static void check(final PersistentMap<?, ?> map) {
        assertEquals(map.size(), check(map.root(), 0, 0, true), "entries in trie vs size");
    }

    private static int check(final ChampNode<?, ?> node, final int shift, final int prefix, final boolean root) {
        final int mask = shift >= 32 ? -1 : (1 << shift) - 1;
        if (node instanceof HashCollisionNode<?, ?> collision) {
            assertTrue(shift >= 32, "collision node above the last level");
            assertTrue(collision.dataArity() >= 2, "collision node with fewer than two entries");
            final Set<Object> keys = new HashSet<>();
            for (int i = 0; i < collision.dataArity(); i++) {
                assertEquals(collision.hash(), collision.keyAt(i).hashCode(), "key in the wrong collision node");
                assertTrue(keys.add(collision.keyAt(i)), "duplicate key in collision node");
            }
            assertEquals(prefix, collision.hash(), "collision node off its path");
            return collision.dataArity();
        }
        final BitmapIndexedNode<?, ?> bitmap = (BitmapIndexedNode<?, ?>) node;
        assertTrue(shift < 32, "bitmap node below the last level");
        assertEquals(0, bitmap.dataMap() & bitmap.nodeMap(), "slot both inline and sub-node");
        if (!root) {
            assertNotEquals(0, bitmap.dataArity() + bitmap.nodeArity(), "empty inner node");
            assertTrue(!bitmap.isSingleEntry(), "inner node with a single entry should be inlined");
        }
        int count = bitmap.dataArity();
        int dataBits = bitmap.dataMap();
        for (int i = 0; i < bitmap.dataArity(); i++) {
            final int slot = Integer.numberOfTrailingZeros(dataBits);
            dataBits &= dataBits - 1;
            final int hash = bitmap.keyAt(i).hashCode();
            assertEquals(prefix, hash & mask, "inline key off its path");
            assertEquals(slot, BitmapIndexedNode.slot(hash, shift), "inline key in the wrong slot");
        }
        int nodeBits = bitmap.nodeMap();
        for (int i = 0; i < bitmap.nodeArity(); i++) {
            final int slot = Integer.numberOfTrailingZeros(nodeBits);
            nodeBits &= nodeBits - 1;
            final int childShift = shift + ChampNode.BITS_PER_LEVEL;
            count += check(bitmap.nodeAt(i), childShift, prefix | (slot << shift), false);
        }
        return count;
    }
}
