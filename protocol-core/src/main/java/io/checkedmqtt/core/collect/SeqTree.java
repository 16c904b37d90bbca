package io.checkedmqtt.core.collect;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An immutable AVL tree from {@code long} sequence numbers to keys: the order index of {@link
 * PersistentLinkedMap}. {@code null} is the empty tree. Insert and remove copy the O(log n) path
 * from the root and rebalance it; the height stays below 1.45 log2(n + 2), so the iteration stack
 * is small. {@link #insert}, {@link #remove} and {@link #removeFirst} recurse once per level of
 * that height: under 46 for any map an {@code int} can count, whatever the keys are.
 */
final class SeqTree<K> {

    private final long seq;
    private final K key;
    private final SeqTree<K> left;
    private final SeqTree<K> right;
    private final int height;

    private SeqTree(final long seq, final K key, final SeqTree<K> left, final SeqTree<K> right) {
        this.seq = seq;
        this.key = key;
        this.left = left;
        this.right = right;
        this.height = Math.max(height(left), height(right)) + 1;
    }

    static int height(final SeqTree<?> tree) {
        return tree == null ? 0 : tree.height;
    }

    long seq() {
        return seq;
    }

    K key() {
        return key;
    }

    SeqTree<K> left() {
        return left;
    }

    SeqTree<K> right() {
        return right;
    }

    /** {@code tree} with {@code seq -> key} added (or the key replaced). */
    static <K> SeqTree<K> insert(final SeqTree<K> tree, final long seq, final K key) {
        if (tree == null) {
            return new SeqTree<>(seq, key, null, null);
        }
        if (seq < tree.seq) {
            return balance(tree.seq, tree.key, insert(tree.left, seq, key), tree.right);
        }
        if (seq > tree.seq) {
            return balance(tree.seq, tree.key, tree.left, insert(tree.right, seq, key));
        }
        return new SeqTree<>(seq, key, tree.left, tree.right);
    }

    /** {@code tree} without {@code seq}; the same tree when absent. */
    static <K> SeqTree<K> remove(final SeqTree<K> tree, final long seq) {
        if (tree == null) {
            return null;
        }
        if (seq < tree.seq) {
            final SeqTree<K> left = remove(tree.left, seq);
            return left == tree.left ? tree : balance(tree.seq, tree.key, left, tree.right);
        }
        if (seq > tree.seq) {
            final SeqTree<K> right = remove(tree.right, seq);
            return right == tree.right ? tree : balance(tree.seq, tree.key, tree.left, right);
        }
        if (tree.left == null) {
            return tree.right;
        }
        if (tree.right == null) {
            return tree.left;
        }
        final SeqTree<K> successor = first(tree.right);
        return balance(successor.seq, successor.key, tree.left, removeFirst(tree.right));
    }

    /** The node with the smallest sequence number, or null for the empty tree. */
    static <K> SeqTree<K> first(final SeqTree<K> tree) {
        SeqTree<K> at = tree;
        while (at != null && at.left != null) {
            at = at.left;
        }
        return at;
    }

    private static <K> SeqTree<K> removeFirst(final SeqTree<K> tree) {
        return tree.left == null ? tree.right : balance(tree.seq, tree.key, removeFirst(tree.left), tree.right);
    }

    /** A node over {@code left} and {@code right}, whose heights differ by at most two, rotated into AVL shape. */
    private static <K> SeqTree<K> balance(final long seq, final K key, final SeqTree<K> left, final SeqTree<K> right) {
        final int hl = height(left);
        final int hr = height(right);
        if (hl > hr + 1) {
            if (height(left.left) >= height(left.right)) {
                return new SeqTree<>(left.seq, left.key, left.left, new SeqTree<>(seq, key, left.right, right));
            }
            final SeqTree<K> pivot = left.right;
            return new SeqTree<>(pivot.seq, pivot.key,
                    new SeqTree<>(left.seq, left.key, left.left, pivot.left),
                    new SeqTree<>(seq, key, pivot.right, right));
        }
        if (hr > hl + 1) {
            if (height(right.right) >= height(right.left)) {
                return new SeqTree<>(right.seq, right.key, new SeqTree<>(seq, key, left, right.left), right.right);
            }
            final SeqTree<K> pivot = right.left;
            return new SeqTree<>(pivot.seq, pivot.key,
                    new SeqTree<>(seq, key, left, pivot.left),
                    new SeqTree<>(right.seq, right.key, pivot.right, right.right));
        }
        return new SeqTree<>(seq, key, left, right);
    }

    /** The keys of {@code tree} in ascending sequence order. */
    static <K> Iterator<K> keysInOrder(final SeqTree<K> tree) {
        return new InOrder<>(tree);
    }

    /** In-order walk with an explicit stack of the left spine; the stack lives in final arrays. */
    private static final class InOrder<K> implements Iterator<K> {

        private final SeqTree<?>[] stack;
        private final int[] depth = {0};

        InOrder(final SeqTree<K> root) {
            stack = new SeqTree<?>[height(root)];
            pushLeftSpine(root);
        }

        private void pushLeftSpine(final SeqTree<K> from) {
            for (SeqTree<K> at = from; at != null; at = at.left) {
                stack[depth[0]++] = at;
            }
        }

        @Override
        public boolean hasNext() {
            return depth[0] > 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public K next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            final SeqTree<K> node = (SeqTree<K>) stack[--depth[0]];
            stack[depth[0]] = null;
            pushLeftSpine(node.right);
            return node.key;
        }
    }
}
