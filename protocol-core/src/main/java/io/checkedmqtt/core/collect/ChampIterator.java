package io.checkedmqtt.core.collect;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * Depth-first cursor over a CHAMP trie: the inline entries of a node, then its sub-nodes.
 * The trie has at most {@link ChampNode#MAX_DEPTH} levels, so the path fits in fixed arrays.
 *
 * <p>An iterator is mutable by contract; its cursor lives in final arrays owned by this one
 * iteration and never in the map.
 */
final class ChampIterator<K, V, T> implements Iterator<T> {

    private final BiFunction<? super K, ? super V, ? extends T> project;
    private final ChampNode<?, ?>[] path = new ChampNode<?, ?>[ChampNode.MAX_DEPTH];
    /** Per level: next inline entry to return. */
    private final int[] nextData = new int[ChampNode.MAX_DEPTH];
    /** Per level: next sub-node to descend into. */
    private final int[] nextNode = new int[ChampNode.MAX_DEPTH];
    /** {@code top[0]} is the current level, or -1 when the walk is over. */
    private final int[] top = {0};

    ChampIterator(final ChampNode<K, V> root, final BiFunction<? super K, ? super V, ? extends T> project) {
        this.project = project;
        path[0] = root;
    }

    @SuppressWarnings("unchecked")
    private ChampNode<K, V> node(final int level) {
        return (ChampNode<K, V>) path[level];
    }

    @Override
    public boolean hasNext() {
        while (top[0] >= 0) {
            final int level = top[0];
            final ChampNode<K, V> node = node(level);
            if (nextData[level] < node.dataArity()) {
                return true;
            }
            if (nextNode[level] < node.nodeArity()) {
                final int child = level + 1;
                path[child] = node.nodeAt(nextNode[level]++);
                nextData[child] = 0;
                nextNode[child] = 0;
                top[0] = child;
            } else {
                path[level] = null;
                top[0] = level - 1;
            }
        }
        return false;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final int level = top[0];
        final ChampNode<K, V> node = node(level);
        final int i = nextData[level]++;
        return project.apply(node.keyAt(i), node.valueAt(i));
    }
}
