package io.checkedmqtt.core.routing;

import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * A node of a {@link HashTrieMap}: a {@link Bitmap} of up to 32 branches, or a {@link Collision}
 * of entries whose hashes are equal. Nodes never change; an update returns a copy of the path.
 *
 * <p>Every method that descends recurses once per level. A level consumes {@link #BITS} bits of
 * the key's 32-bit (spread) hash, so a path has at most seven bitmap levels and one collision
 * node, however many entries the map holds and however long the keys are: the recursion depth is
 * bounded by the hash width, not by the input.
 */
abstract class HashTrieNode {

    static final int BITS = 5;
    static final int MASK = (1 << BITS) - 1;

    abstract Object find(int shift, int hash, Object key);

    abstract Object findRegion(int shift, int hash, String s, int from, int to);

    abstract HashTrieNode put(int shift, int hash, Object key, Object value);

    /** The node without the key, this node when absent, null when it becomes empty. */
    abstract HashTrieNode remove(int shift, int hash, Object key);

    abstract void addValues(Collection<Object> out);

    abstract void forEach(BiConsumer<Object, Object> action);

    /** Mixes the high bits into the low ones, which pick the first branches. */
    static int spread(int h) {
        return h ^ (h >>> 16);
    }

    static boolean regionEquals(Object key, String s, int from, int to) {
        return key instanceof String k && k.length() == to - from && k.regionMatches(0, s, from, to - from);
    }

    /**
     * Up to 32 branches, present ones marked in {@code bitmap}; {@code array} holds two slots per
     * branch: (key, value) for an entry, or (null, node) for a subtree.
     */
    static final class Bitmap extends HashTrieNode {
        final int bitmap;
        final Object[] array;

        Bitmap(int bitmap, Object[] array) {
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
                return ((HashTrieNode) array[idx + 1]).find(shift + BITS, hash, key);
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
                return ((HashTrieNode) array[idx + 1]).findRegion(shift + BITS, hash, s, from, to);
            }
            return regionEquals(k, s, from, to) ? array[idx + 1] : null;
        }

        @Override
        HashTrieNode put(int shift, int hash, Object key, Object value) {
            int bit = 1 << ((hash >>> shift) & MASK);
            int idx = index(bit);
            if ((bitmap & bit) == 0) {
                Object[] grown = new Object[array.length + 2];
                System.arraycopy(array, 0, grown, 0, idx);
                grown[idx] = key;
                grown[idx + 1] = value;
                System.arraycopy(array, idx, grown, idx + 2, array.length - idx);
                return new Bitmap(bitmap | bit, grown);
            }
            Object k = array[idx];
            Object v = array[idx + 1];
            if (k == null) {
                HashTrieNode sub = (HashTrieNode) v;
                HashTrieNode newSub = sub.put(shift + BITS, hash, key, value);
                return newSub == sub ? this : with(idx, null, newSub);
            }
            if (key.equals(k)) {
                return v == value ? this : with(idx, k, value);
            }
            return with(idx, null, pair(shift + BITS, k, v, hash, key, value));
        }

        private Bitmap with(int idx, Object key, Object value) {
            Object[] copy = array.clone();
            copy[idx] = key;
            copy[idx + 1] = value;
            return new Bitmap(bitmap, copy);
        }

        static HashTrieNode pair(int shift, Object k1, Object v1, int h2, Object k2, Object v2) {
            int h1 = spread(k1.hashCode());
            if (h1 == h2) {
                return new Collision(h1, new Object[] {k1, v1, k2, v2});
            }
            // The hashes differ in some bit below 32, so this splits by shift 30 at the latest.
            return new Bitmap(1 << ((h1 >>> shift) & MASK), new Object[] {k1, v1})
                    .put(shift, h2, k2, v2);
        }

        @Override
        HashTrieNode remove(int shift, int hash, Object key) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int idx = index(bit);
            Object k = array[idx];
            if (k == null) {
                HashTrieNode sub = (HashTrieNode) array[idx + 1];
                HashTrieNode newSub = sub.remove(shift + BITS, hash, key);
                if (newSub == sub) {
                    return this;
                }
                if (newSub == null) {
                    return without(bit, idx);
                }
                if (newSub instanceof Bitmap b && b.array.length == 2 && b.array[0] != null) {
                    return with(idx, b.array[0], b.array[1]); // pull a lone entry up
                }
                return with(idx, null, newSub);
            }
            return key.equals(k) ? without(bit, idx) : this;
        }

        private HashTrieNode without(int bit, int idx) {
            if (bitmap == bit) {
                return null;
            }
            Object[] shrunk = new Object[array.length - 2];
            System.arraycopy(array, 0, shrunk, 0, idx);
            System.arraycopy(array, idx + 2, shrunk, idx, array.length - idx - 2);
            return new Bitmap(bitmap & ~bit, shrunk);
        }

        @Override
        void addValues(Collection<Object> out) {
            for (int i = 0; i < array.length; i += 2) {
                if (array[i] == null) {
                    ((HashTrieNode) array[i + 1]).addValues(out);
                } else {
                    out.add(array[i + 1]);
                }
            }
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < array.length; i += 2) {
                if (array[i] == null) {
                    ((HashTrieNode) array[i + 1]).forEach(action);
                } else {
                    action.accept(array[i], array[i + 1]);
                }
            }
        }
    }

    /** Entries whose keys have the same full hash, as (key, value) pairs in insertion order. */
    static final class Collision extends HashTrieNode {
        final int hash;
        final Object[] array;

        Collision(int hash, Object[] array) {
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
        HashTrieNode put(int shift, int hash, Object key, Object value) {
            if (hash != this.hash) {
                // Put this node one level down, under a bitmap node that can hold both.
                Bitmap wrapper = new Bitmap(1 << ((this.hash >>> shift) & MASK), new Object[] {null, this});
                return wrapper.put(shift, hash, key, value);
            }
            for (int i = 0; i < array.length; i += 2) {
                if (key.equals(array[i])) {
                    if (array[i + 1] == value) {
                        return this;
                    }
                    Object[] copy = array.clone();
                    copy[i + 1] = value;
                    return new Collision(hash, copy);
                }
            }
            Object[] grown = new Object[array.length + 2];
            System.arraycopy(array, 0, grown, 0, array.length);
            grown[array.length] = key;
            grown[array.length + 1] = value;
            return new Collision(hash, grown);
        }

        @Override
        HashTrieNode remove(int shift, int hash, Object key) {
            if (hash != this.hash) {
                return this;
            }
            for (int i = 0; i < array.length; i += 2) {
                if (key.equals(array[i])) {
                    if (array.length == 4) {
                        // one entry left: an ordinary single-entry node at this level
                        Object k = array[2 - i];
                        return new Bitmap(1 << ((hash >>> shift) & MASK), new Object[] {k, array[3 - i]});
                    }
                    Object[] shrunk = new Object[array.length - 2];
                    System.arraycopy(array, 0, shrunk, 0, i);
                    System.arraycopy(array, i + 2, shrunk, i, array.length - i - 2);
                    return new Collision(hash, shrunk);
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
