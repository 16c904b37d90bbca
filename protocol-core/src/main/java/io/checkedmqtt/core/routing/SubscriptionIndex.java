package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.topic.SharedSubscription;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
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
 * <p>Entries are keyed by (clientId, ShareName or none, filter): subscribing again to an identical
 * filter replaces the options [MQTT-3.8.4-3], and UNSUBSCRIBE deletes exactly that entry
 * [MQTT-3.10.4-1]. The index does not validate filters; {@link Router#subscribe} does.
 */
public final class SubscriptionIndex {

    private static final SubscriptionIndex EMPTY = new SubscriptionIndex(Node.EMPTY, 0);

    private final Node root;
    private final int size;

    private SubscriptionIndex(Node root, int size) {
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
     * [MQTT-3.8.4-3]. The filter must be valid ({@link TopicFilter#validate}); a shared filter
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
        Subscriber previous = find(inner, key);
        Node newRoot = insert(root, inner, 0, key, entry);
        return new SubscribeResult(new SubscriptionIndex(newRoot, previous == null ? size + 1 : size), previous);
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
        Node newRoot = delete(root, inner, 0, key);
        return new UnsubscribeResult(new SubscriptionIndex(newRoot == null ? Node.EMPTY : newRoot, size - 1),
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
        if (shared == null) {
            return false;
        }
        String filter = shared.filter();
        Node node = root;
        int start = 0;
        int length = filter.length();
        HashTrieMap<Object, Subscriber> entries = null;
        while (entries == null) {
            if (start > length) {
                entries = node.here;
                break;
            }
            int end = TopicFilter.levelEnd(filter, start);
            if (end - start == 1 && filter.charAt(start) == '#') {
                entries = node.multi;
                break;
            }
            node = end - start == 1 && filter.charAt(start) == '+'
                    ? node.plus
                    : node.child(filter, start, end);
            if (node == null) {
                return false;
            }
            start = end + 1;
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
     * Every subscription whose filter matches the Topic Name {@code topic} [MQTT-4.7], one entry
     * per (client, filter): a client with overlapping subscriptions appears once per matching
     * filter, and every member of a matching share group appears. The caller ({@link Router})
     * merges and chooses. {@code topic} must be a valid Topic Name.
     */
    public List<Subscriber> match(String topic) {
        List<Subscriber> out = new ArrayList<>();
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        Node node = root;
        if (!dollar) {
            node.multi.addValuesTo(out); // '#' at the root [MQTT-4.7.2-1 for '$' topics]
        }
        int end = TopicFilter.levelEnd(topic, 0);
        Node child = node.child(topic, 0, end);
        if (child != null) {
            collect(child, topic, end + 1, out);
        }
        if (!dollar && node.plus != null) {
            collect(node.plus, topic, end + 1, out);
        }
        return Collections.unmodifiableList(out);
    }

    /** Collects matches below {@code node}, whose levels matched the topic up to {@code start}. */
    private static void collect(Node node, String topic, int start, List<Subscriber> out) {
        int length = topic.length();
        while (true) {
            if (start > length) { // the topic has no more levels
                node.here.addValuesTo(out);
                node.multi.addValuesTo(out); // "a/#" matches "a"
                return;
            }
            node.multi.addValuesTo(out);
            int end = TopicFilter.levelEnd(topic, start);
            if (node.plus != null) {
                collect(node.plus, topic, end + 1, out);
            }
            Node child = node.child(topic, start, end);
            if (child == null) {
                return;
            }
            node = child; // follow the literal level without recursion
            start = end + 1;
        }
    }

    private Subscriber find(String filter, Object key) {
        Node node = root;
        int start = 0;
        int length = filter.length();
        while (start <= length) {
            int end = TopicFilter.levelEnd(filter, start);
            if (end - start == 1 && filter.charAt(start) == '#') {
                return node.multi.get(key);
            }
            node = end - start == 1 && filter.charAt(start) == '+'
                    ? node.plus
                    : node.child(filter, start, end);
            if (node == null) {
                return null;
            }
            start = end + 1;
        }
        return node.here.get(key);
    }

    private static Node insert(Node node, String filter, int start, Object key, Subscriber entry) {
        if (start > filter.length()) {
            return node.withHere(node.here.put(key, entry));
        }
        int end = TopicFilter.levelEnd(filter, start);
        if (end - start == 1 && filter.charAt(start) == '#') {
            return node.withMulti(node.multi.put(key, entry));
        }
        if (end - start == 1 && filter.charAt(start) == '+') {
            Node plus = node.plus == null ? Node.EMPTY : node.plus;
            return node.withPlus(insert(plus, filter, end + 1, key, entry));
        }
        Node child = node.child(filter, start, end);
        Node newChild = insert(child == null ? Node.EMPTY : child, filter, end + 1, key, entry);
        return node.withChild(filter.substring(start, end), newChild);
    }

    /** The node without the entry; null when the node is left empty (so parents drop it). */
    private static Node delete(Node node, String filter, int start, Object key) {
        if (start > filter.length()) {
            return node.withHere(node.here.remove(key)).orNullIfEmpty();
        }
        int end = TopicFilter.levelEnd(filter, start);
        if (end - start == 1 && filter.charAt(start) == '#') {
            return node.withMulti(node.multi.remove(key)).orNullIfEmpty();
        }
        if (end - start == 1 && filter.charAt(start) == '+') {
            return node.withPlus(delete(node.plus, filter, end + 1, key)).orNullIfEmpty();
        }
        String level = filter.substring(start, end);
        Node newChild = delete(node.child(level, 0, level.length()), filter, end + 1, key);
        return (newChild == null ? node.withoutChild(level) : node.withChild(level, newChild)).orNullIfEmpty();
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
     * A trie node. Its literal children: exactly one is held inline ({@code onlyKey},
     * {@code onlyChild}), two or more in {@code children}. Most nodes of a large index have one
     * child, and the inline form saves a map object and a dependent memory load per level.
     */
    private static final class Node {
        static final Node EMPTY = new Node(null, null, HashTrieMap.empty(), null, HashTrieMap.empty(), HashTrieMap.empty());

        final String onlyKey;
        final Node onlyChild;
        final HashTrieMap<String, Node> children;
        final Node plus;
        final HashTrieMap<Object, Subscriber> here;
        final HashTrieMap<Object, Subscriber> multi;

        Node(String onlyKey, Node onlyChild, HashTrieMap<String, Node> children, Node plus,
             HashTrieMap<Object, Subscriber> here, HashTrieMap<Object, Subscriber> multi) {
            this.onlyKey = onlyKey;
            this.onlyChild = onlyChild;
            this.children = children;
            this.plus = plus;
            this.here = here;
            this.multi = multi;
        }

        /** The literal child for the level {@code s[from, to)}, or null; allocates nothing. */
        Node child(String s, int from, int to) {
            if (onlyChild != null) {
                int length = to - from;
                return onlyKey.length() == length && onlyKey.regionMatches(0, s, from, length) ? onlyChild : null;
            }
            return children.getRegion(s, from, to);
        }

        Node withChild(String key, Node child) {
            if (onlyChild != null) {
                if (onlyKey.equals(key)) {
                    return child == onlyChild ? this : new Node(onlyKey, child, children, plus, here, multi);
                }
                HashTrieMap<String, Node> two = HashTrieMap.<String, Node>empty().put(onlyKey, onlyChild).put(key, child);
                return new Node(null, null, two, plus, here, multi);
            }
            if (children.isEmpty()) {
                return new Node(key, child, children, plus, here, multi);
            }
            HashTrieMap<String, Node> more = children.put(key, child);
            return more == children ? this : new Node(null, null, more, plus, here, multi);
        }

        Node withoutChild(String key) {
            if (onlyChild != null) {
                return onlyKey.equals(key) ? new Node(null, null, HashTrieMap.empty(), plus, here, multi) : this;
            }
            HashTrieMap<String, Node> fewer = children.remove(key);
            if (fewer == children) {
                return this;
            }
            if (fewer.size() == 1) {
                Object[] last = new Object[2];
                fewer.forEach((k, v) -> {
                    last[0] = k;
                    last[1] = v;
                });
                return new Node((String) last[0], (Node) last[1], HashTrieMap.empty(), plus, here, multi);
            }
            return new Node(null, null, fewer, plus, here, multi);
        }

        Node withPlus(Node p) {
            return p == plus ? this : new Node(onlyKey, onlyChild, children, p, here, multi);
        }

        Node withHere(HashTrieMap<Object, Subscriber> h) {
            return h == here ? this : new Node(onlyKey, onlyChild, children, plus, h, multi);
        }

        Node withMulti(HashTrieMap<Object, Subscriber> m) {
            return m == multi ? this : new Node(onlyKey, onlyChild, children, plus, here, m);
        }

        Node orNullIfEmpty() {
            return onlyChild == null && children.isEmpty() && plus == null && here.isEmpty() && multi.isEmpty()
                    ? null : this;
        }
    }
}
