package io.checkedmqtt.core.routing;

/**
 * A node of the {@link SubscriptionIndex} trie: one sequence of filter levels. Its literal
 * children: exactly one is held inline ({@code onlyKey}, {@code onlyChild}), two or more in
 * {@code children}; most nodes of a large index have one child, and the inline form saves a map
 * object and a dependent memory load per level. {@code plus} is the child for a {@code +} level,
 * {@code here} the subscriptions whose filter ends at this node, {@code multi} those whose filter
 * continues with {@code /#}. Values never change; every {@code with...} returns a copy (or this
 * node when nothing changes).
 */
final class IndexNode {

    static final IndexNode EMPTY = new IndexNode(null, null, HashTrieMap.empty(), null, HashTrieMap.empty(),
            HashTrieMap.empty());

    final String onlyKey;
    final IndexNode onlyChild;
    final HashTrieMap<String, IndexNode> children;
    final IndexNode plus;
    final HashTrieMap<Object, Subscriber> here;
    final HashTrieMap<Object, Subscriber> multi;

    private IndexNode(String onlyKey, IndexNode onlyChild, HashTrieMap<String, IndexNode> children, IndexNode plus,
                      HashTrieMap<Object, Subscriber> here, HashTrieMap<Object, Subscriber> multi) {
        this.onlyKey = onlyKey;
        this.onlyChild = onlyChild;
        this.children = children;
        this.plus = plus;
        this.here = here;
        this.multi = multi;
    }

    /** The literal child for the level {@code s[from, to)}, or null; allocates nothing. */
    IndexNode child(String s, int from, int to) {
        if (onlyChild != null) {
            int length = to - from;
            return onlyKey.length() == length && onlyKey.regionMatches(0, s, from, length) ? onlyChild : null;
        }
        return children.getRegion(s, from, to);
    }

    IndexNode withChild(String key, IndexNode child) {
        if (onlyChild != null) {
            if (onlyKey.equals(key)) {
                return child == onlyChild ? this : new IndexNode(onlyKey, child, children, plus, here, multi);
            }
            HashTrieMap<String, IndexNode> two = HashTrieMap.<String, IndexNode>empty().put(onlyKey, onlyChild)
                    .put(key, child);
            return new IndexNode(null, null, two, plus, here, multi);
        }
        if (children.isEmpty()) {
            return new IndexNode(key, child, children, plus, here, multi);
        }
        HashTrieMap<String, IndexNode> more = children.put(key, child);
        return more == children ? this : new IndexNode(null, null, more, plus, here, multi);
    }

    IndexNode withoutChild(String key) {
        if (onlyChild != null) {
            return onlyKey.equals(key) ? new IndexNode(null, null, HashTrieMap.empty(), plus, here, multi) : this;
        }
        HashTrieMap<String, IndexNode> fewer = children.remove(key);
        if (fewer == children) {
            return this;
        }
        if (fewer.size() == 1) {
            Object[] last = new Object[2];
            fewer.forEach((k, v) -> {
                last[0] = k;
                last[1] = v;
            });
            return new IndexNode((String) last[0], (IndexNode) last[1], HashTrieMap.empty(), plus, here, multi);
        }
        return new IndexNode(null, null, fewer, plus, here, multi);
    }

    IndexNode withPlus(IndexNode p) {
        return p == plus ? this : new IndexNode(onlyKey, onlyChild, children, p, here, multi);
    }

    IndexNode withHere(HashTrieMap<Object, Subscriber> h) {
        return h == here ? this : new IndexNode(onlyKey, onlyChild, children, plus, h, multi);
    }

    IndexNode withMulti(HashTrieMap<Object, Subscriber> m) {
        return m == multi ? this : new IndexNode(onlyKey, onlyChild, children, plus, here, m);
    }

    /** Null when the node holds nothing any more, so that its parent drops it. */
    IndexNode orNullIfEmpty() {
        return onlyChild == null && children.isEmpty() && plus == null && here.isEmpty() && multi.isEmpty()
                ? null : this;
    }
}
