package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.topic.SharedSubscription;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Every subscription of every client, as an immutable trie of topic levels that answers "who
 * matches this topic" without looking at the subscriptions that cannot match.
 *
 * <p><b>Shape.</b> Each trie node stands for a sequence of filter levels. A node has
 * <ul>
 *   <li>its literal children: one per literal next level (an empty string is a level too), the
 *       only one held inline when there is just one, as most nodes of a large index have;</li>
 *   <li>{@code plus}: the child for a {@code +} level;</li>
 *   <li>{@code here}: the subscriptions whose filter ends at this node;</li>
 *   <li>{@code multi}: the subscriptions whose filter is this node's levels followed by {@code /#}
 *       (or just {@code #} at the root). {@code #} is always last, so it needs no node of its own.</li>
 * </ul>
 * A Shared Subscription {@code $share/g/f} sits at the node of {@code f}, keyed by (client, g).
 *
 * <p><b>Persistence.</b> Values never change. {@link #subscribe} and {@link #unsubscribe}
 * copy only the nodes on the path from the root to the filter's node (and, in each, the few
 * arrays of the {@link HashTrieMap} they touch), so they cost O(levels x log32 fan-out) and
 * every older index stays valid: a session step can keep the old one and the new one.
 *
 * <p><b>Matching.</b> {@link #match} walks the topic by index (no splitting, no substrings),
 * at each node following the literal child and the {@code +} child and collecting {@code multi};
 * at the end it collects {@code here} and {@code multi} (so {@code sport/#} matches
 * {@code sport}). At the root neither {@code +} nor {@code #} is followed for a topic that starts
 * with {@code $} [MQTT-4.7.2-1]. The result equals testing every filter with
 * {@link TopicFilter#matches} (a property test checks this).
 *
 * <p><b>No recursion.</b> Every walk is a loop, so a filter or topic of 65,536 levels (65,535
 * {@code /} characters, the most [MQTT-4.7.3-3] allows) needs no more thread stack than a short
 * one: path copying records the path on an explicit stack ({@link Path}), and matching keeps the
 * literal branches it still has to visit on one.
 *
 * <p>Entries are keyed by (clientId, ShareName or none, filter): subscribing again to an identical
 * filter replaces the options [MQTT-3.8.4-3], and UNSUBSCRIBE deletes exactly that entry
 * [MQTT-3.10.4-1]. The index does not validate filters; {@link Router#subscribe} does.
 */
public final class SubscriptionIndex {

    private static final SubscriptionIndex EMPTY = new SubscriptionIndex(IndexNode.EMPTY, 0);

    private final IndexNode root;
    private final int size;

    private SubscriptionIndex(IndexNode root, int size) {
        this.root = root;
        this.size = size;
    }

    public static SubscriptionIndex empty() {
        return EMPTY;
    }

    /** The number of subscriptions held (each client-filter pair counts once). */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The result of {@link #subscribe}: the new index and the entry it replaced, if any. */
    public record SubscribeResult(SubscriptionIndex index, Subscriber replaced) {
        /** True when the client already had this exact filter (5.0 Retain Handling 1 needs this). */
        public boolean existedBefore() {
            return replaced != null;
        }
    }

    /** The result of {@link #unsubscribe}: the new index and the entry removed, if any. */
    public record UnsubscribeResult(SubscriptionIndex index, Subscriber removed) {
        /** True when there was a subscription to remove (5.0 UNSUBACK 0x00, else 0x11). */
        public boolean existed() {
            return removed != null;
        }
    }

    /**
     * Adds or replaces the client's subscription to {@code subscription.topicFilter()}
     * [MQTT-3.8.4-3]. The filter must be valid ({@link TopicFilter#syntaxError}); a shared filter
     * {@code $share/g/f} is indexed under {@code f}.
     *
     * @param subscriptionId the 5.0 Subscription Identifier, or 0 for none
     */
    public SubscribeResult subscribe(String clientId, Subscription subscription, int subscriptionId) {
        Objects.requireNonNull(clientId, "clientId");
        String filter = subscription.topicFilter();
        SharedSubscription shared = SharedSubscription.parse(filter);
        String inner = shared == null ? filter : shared.filter();
        String group = shared == null ? null : shared.group();
        Subscriber entry = new Subscriber(clientId, filter, group, subscription.options(), subscriptionId);
        Object key = keyOf(clientId, group);
        Path path = Path.walk(root, inner);
        IndexNode end = path.end();
        Subscriber previous = path.entries().get(key);
        IndexNode changed = path.endsWithMulti()
                ? end.withMulti(end.multi.put(key, entry))
                : end.withHere(end.here.put(key, entry));
        return new SubscribeResult(new SubscriptionIndex(path.rebuild(changed), previous == null ? size + 1 : size),
                previous);
    }

    /** Removes the client's subscription whose filter equals {@code topicFilter} exactly [MQTT-3.10.4-1]. */
    public UnsubscribeResult unsubscribe(String clientId, String topicFilter) {
        SharedSubscription shared = SharedSubscription.parse(topicFilter);
        String inner = shared == null ? topicFilter : shared.filter();
        Object key = keyOf(clientId, shared == null ? null : shared.group());
        Subscriber previous = find(inner, key);
        if (previous == null || !previous.topicFilter().equals(topicFilter)) {
            return new UnsubscribeResult(this, null);
        }
        Path path = Path.walk(root, inner);
        IndexNode end = path.end();
        IndexNode changed = path.endsWithMulti()
                ? end.withMulti(end.multi.remove(key))
                : end.withHere(end.here.remove(key));
        IndexNode newRoot = path.rebuild(changed.orNullIfEmpty());
        return new UnsubscribeResult(new SubscriptionIndex(newRoot == null ? IndexNode.EMPTY : newRoot, size - 1),
                previous);
    }

    /** Removes each of the client's subscriptions to the given filters (the session knows them). */
    public SubscriptionIndex removeClient(String clientId, Collection<String> topicFilters) {
        SubscriptionIndex index = this;
        for (String filter : topicFilters) {
            index = index.unsubscribe(clientId, filter).index();
        }
        return index;
    }

    /** The client's subscription to exactly this filter, or null. */
    public Subscriber get(String clientId, String topicFilter) {
        SharedSubscription shared = SharedSubscription.parse(topicFilter);
        String inner = shared == null ? topicFilter : shared.filter();
        Subscriber found = find(inner, keyOf(clientId, shared == null ? null : shared.group()));
        return found != null && found.topicFilter().equals(topicFilter) ? found : null;
    }

    /** True while at least one client holds the shared filter {@code $share/g/f}. */
    public boolean hasSharedMembers(String sharedTopicFilter) {
        SharedSubscription shared = SharedSubscription.parse(sharedTopicFilter);
        HashTrieMap<Object, Subscriber> entries = shared == null ? null : entriesAt(shared.filter());
        if (entries == null) {
            return false;
        }
        List<Subscriber> all = new ArrayList<>();
        entries.addValuesTo(all);
        for (Subscriber s : all) {
            if (shared.group().equals(s.shareGroup())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every subscription held, in no particular order (for the broker's HTTP API and metrics).
     * A loop over an explicit stack of nodes, so a filter of any depth needs no thread stack.
     */
    public List<Subscriber> all() {
        List<Subscriber> out = new ArrayList<>(size);
        List<IndexNode> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            IndexNode node = stack.remove(stack.size() - 1);
            node.here.addValuesTo(out);
            node.multi.addValuesTo(out);
            if (node.onlyChild != null) {
                stack.add(node.onlyChild);
            }
            node.children.addValuesTo(stack);
            if (node.plus != null) {
                stack.add(node.plus);
            }
        }
        return out;
    }

    /**
     * Every subscription whose filter matches the Topic Name {@code topic} [MQTT-4.7], one entry
     * per (client, filter): a client with overlapping subscriptions appears once per matching
     * filter, and every member of a matching share group appears. The caller ({@link Router})
     * merges and chooses. {@code topic} must be a valid Topic Name.
     */
    public List<Subscriber> match(String topic) {
        List<Subscriber> out = new ArrayList<>();
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        if (!dollar) {
            root.multi.addValuesTo(out); // '#' at the root [MQTT-4.7.2-1 for '$' topics]
        }
        int end = TopicFilter.levelEnd(topic, 0);
        IndexNode child = root.child(topic, 0, end);
        if (child != null) {
            collect(child, topic, end + 1, out);
        }
        if (!dollar && root.plus != null) {
            collect(root.plus, topic, end + 1, out);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Collects the matches at and below {@code from}, whose levels matched the topic up to
     * {@code fromStart}. A loop down the topic's levels: where a node has a {@code +} child as well
     * as the literal one, it follows {@code +} first and leaves the literal child waiting on an
     * explicit stack (made only then), so the order is that of a depth-first walk and the
     * thread's stack does not grow with the topic.
     */
    private static void collect(IndexNode from, String topic, int fromStart, List<Subscriber> out) {
        int length = topic.length();
        IndexNode node = from;
        int start = fromStart;
        IndexNode[] waiting = null; // literal children still to walk, with the topic index they start at
        int[] waitingStart = null;
        int depth = 0;
        while (true) {
            IndexNode next = null;
            int end = length;
            if (start > length) { // the topic has no more levels
                node.here.addValuesTo(out);
                node.multi.addValuesTo(out); // "a/#" matches "a"
            } else {
                node.multi.addValuesTo(out);
                end = TopicFilter.levelEnd(topic, start);
                next = node.child(topic, start, end);
                if (node.plus != null) {
                    if (next != null) {
                        if (waiting == null) {
                            waiting = new IndexNode[8];
                            waitingStart = new int[8];
                        } else if (depth == waiting.length) {
                            waiting = Arrays.copyOf(waiting, 2 * depth);
                            waitingStart = Arrays.copyOf(waitingStart, 2 * depth);
                        }
                        waiting[depth] = next;
                        waitingStart[depth++] = end + 1;
                    }
                    next = node.plus;
                }
            }
            if (next != null) {
                node = next;
                start = end + 1;
            } else if (depth > 0) {
                node = waiting[--depth];
                start = waitingStart[depth];
            } else {
                return;
            }
        }
    }

    private Subscriber find(String filter, Object key) {
        HashTrieMap<Object, Subscriber> entries = entriesAt(filter);
        return entries == null ? null : entries.get(key);
    }

    /** The {@code here} or {@code multi} entries of the filter's node; null when it has no node. */
    private HashTrieMap<Object, Subscriber> entriesAt(String filter) {
        IndexNode node = root;
        int start = 0;
        int length = filter.length();
        while (start <= length) {
            int end = TopicFilter.levelEnd(filter, start);
            if (isLevel(filter, start, end, '#')) {
                return node.multi;
            }
            node = isLevel(filter, start, end, '+') ? node.plus : node.child(filter, start, end);
            if (node == null) {
                return null;
            }
            start = end + 1;
        }
        return node.here;
    }

    /** True when the level {@code filter[start, end)} is the single character {@code c}. */
    private static boolean isLevel(String filter, int start, int end, char c) {
        return end - start == 1 && filter.charAt(start) == c;
    }

    /**
     * The key of an entry within a node: the client identifier itself for an ordinary
     * subscription, a {@link SharedKey} for a shared one (one client may hold an ordinary and
     * several shared subscriptions to one filter). A String never equals a SharedKey.
     */
    private static Object keyOf(String clientId, String shareGroup) {
        return shareGroup == null ? clientId : new SharedKey(clientId, shareGroup);
    }

    private record SharedKey(String clientId, String shareGroup) {
    }

    /**
     * The nodes from the root down to a filter's node, and the edge taken out of each: the
     * explicit stack that path copying uses instead of recursion. A missing node on the way is
     * {@link IndexNode#EMPTY}, so a subscribe can build it.
     */
    private static final class Path {
        /** {@code nodes[0]} is the root, {@code nodes[depth]} the filter's node. */
        private final IndexNode[] nodes;
        /** {@code edges[i]} is the literal level from {@code nodes[i]} to the next node, null for {@code +}. */
        private final String[] edges;
        private final int depth;
        /** The filter ends with {@code #}: its entries are the end node's {@code multi}. */
        private final boolean multi;

        private Path(IndexNode[] nodes, String[] edges, int depth, boolean multi) {
            this.nodes = nodes;
            this.edges = edges;
            this.depth = depth;
            this.multi = multi;
        }

        static Path walk(IndexNode root, String filter) {
            int levels = TopicFilter.levelCount(filter);
            IndexNode[] nodes = new IndexNode[levels + 1];
            String[] edges = new String[levels];
            IndexNode node = root;
            int depth = 0;
            int start = 0;
            int length = filter.length();
            boolean multi = false;
            while (start <= length) {
                int end = TopicFilter.levelEnd(filter, start);
                if (isLevel(filter, start, end, '#')) {
                    multi = true;
                    break;
                }
                nodes[depth] = node;
                IndexNode next;
                if (isLevel(filter, start, end, '+')) {
                    next = node.plus;
                } else {
                    edges[depth] = filter.substring(start, end);
                    next = node.child(filter, start, end);
                }
                node = next == null ? IndexNode.EMPTY : next;
                depth++;
                start = end + 1;
            }
            nodes[depth] = node;
            return new Path(nodes, edges, depth, multi);
        }

        IndexNode end() {
            return nodes[depth];
        }

        boolean endsWithMulti() {
            return multi;
        }

        HashTrieMap<Object, Subscriber> entries() {
            return multi ? end().multi : end().here;
        }

        /**
         * The root of the trie in which the end node is replaced by {@code changed}, copying the
         * nodes above it bottom-up; null {@code changed} removes it, and so on up for each parent
         * left empty. Null when the whole trie is left empty.
         */
        IndexNode rebuild(IndexNode changed) {
            IndexNode node = changed;
            for (int i = depth - 1; i >= 0; i--) {
                IndexNode parent = nodes[i];
                String edge = edges[i];
                IndexNode copy = edge == null ? parent.withPlus(node)
                        : node == null ? parent.withoutChild(edge) : parent.withChild(edge, node);
                node = copy.orNullIfEmpty();
            }
            return node;
        }
    }
}
