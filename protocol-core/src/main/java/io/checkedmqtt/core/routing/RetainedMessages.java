package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The retained messages: at most one per Topic Name, as an immutable trie of topic levels.
 *
 * <ul>
 *   <li>A PUBLISH with RETAIN=1 replaces the topic's retained message
 *       [5.0 MQTT-3.3.1-5; 3.1.1 MQTT-3.3.1-5, MQTT-3.3.1-7].</li>
 *   <li>One with an empty payload removes it and is never stored itself
 *       [5.0 MQTT-3.3.1-6, MQTT-3.3.1-7; 3.1.1 MQTT-3.3.1-10, MQTT-3.3.1-11].</li>
 *   <li>A PUBLISH with RETAIN=0 never reaches this class [5.0 MQTT-3.3.1-8; 3.1.1 MQTT-3.3.1-12].</li>
 *   <li>{@link #matching} returns the messages whose topics a filter matches, with the same
 *       matching rules as {@link TopicFilter#matches} (including [MQTT-4.7.2-1] for {@code $}
 *       topics), walking only the branches the filter can reach.</li>
 * </ul>
 * Expiry is not applied here: the stored {@link RetainedMessage} keeps its receive time, and
 * {@link Router#subscribe} drops expired ones and rewrites the interval ({@link MessageExpiry}).
 * {@link #withoutExpired} lets the broker reclaim expired ones now and then.
 *
 * <p>Every walk is a loop over an explicit stack, never a recursion, so a topic of 65,536 levels
 * (65,535 {@code /} characters, the most [MQTT-4.7.3-3] allows) is stored, replaced, deleted and
 * matched with no more thread stack than a short one.
 */
public final class RetainedMessages {

    private static final RetainedMessages EMPTY = new RetainedMessages(Node.EMPTY, 0, 0);

    private final Node root;
    private final int size;
    /** The {@link Publish#weight} of the stored messages together, for the memory budget. */
    private final long bytes;

    private RetainedMessages(Node root, int size, long bytes) {
        this.root = root;
        this.size = size;
        this.bytes = bytes;
    }

    public static RetainedMessages empty() {
        return EMPTY;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The weight of the stored messages together ({@link Publish#weight}). */
    public long bytes() {
        return bytes;
    }

    /**
     * Whether the store stays within these bounds after {@link #retain} of this PUBLISH: a delete
     * always does; a replacement counts only what it adds.
     */
    public boolean fits(Publish publish, long maxMessages, long maxBytes) {
        if (publish.payload().length == 0) {
            return true;
        }
        RetainedMessage old = get(publish.topic());
        long count = size + (old == null ? 1 : 0);
        long weight = bytes + publish.weight() - (old == null ? 0 : old.publish().weight());
        return count <= maxMessages && weight <= maxBytes;
    }

    /**
     * The store after a PUBLISH with RETAIN=1 to {@code publish.topic()} (a valid Topic Name):
     * an empty payload removes the topic's message, anything else replaces it. The stored copy has
     * packet id 0, DUP=0, RETAIN=1 and no Topic Alias (aliases belong to one connection).
     */
    public RetainedMessages retain(Publish publish, long receivedAtMillis) {
        String topic = publish.topic();
        if (publish.payload().length == 0) {
            RetainedMessage old = get(topic);
            if (old == null) {
                return this;
            }
            return new RetainedMessages(orEmpty(Path.walk(root, topic).rebuild(null)), size - 1,
                    bytes - old.publish().weight());
        }
        Publish stored = new Publish(topic, publish.payload(), publish.qos(), true, false, 0,
                publish.properties().without(PropertyId.TOPIC_ALIAS));
        Path path = Path.walk(root, topic);
        RetainedMessage old = path.end().message;
        Node changed = new Node(path.end().children, new RetainedMessage(stored, receivedAtMillis));
        return new RetainedMessages(path.rebuild(changed), old != null ? size : size + 1,
                bytes + stored.weight() - (old == null ? 0 : old.publish().weight()));
    }

    /** The retained message of exactly this topic, or null. */
    public RetainedMessage get(String topic) {
        Node node = root;
        int start = 0;
        int length = topic.length();
        while (start <= length) {
            int end = TopicFilter.levelEnd(topic, start);
            node = node.children.getRegion(topic, start, end);
            if (node == null) {
                return null;
            }
            start = end + 1;
        }
        return node.message;
    }

    /** Every retained message whose topic the valid, non-shared {@code filter} matches, expired or not. */
    public List<RetainedMessage> matching(String filter) {
        return Collections.unmodifiableList(collect(root, filter));
    }

    /** The store without the messages whose Message Expiry Interval has passed at {@code nowMillis}. */
    public RetainedMessages withoutExpired(long nowMillis) {
        RetainedMessages store = this;
        for (RetainedMessage m : collect(root, null)) {
            if (MessageExpiry.isExpired(m.publish(), m.receivedAtMillis(), nowMillis)) {
                store = new RetainedMessages(orEmpty(Path.walk(store.root, m.publish().topic()).rebuild(null)),
                        store.size - 1, store.bytes - m.publish().weight());
            }
        }
        return store;
    }

    private static Node orEmpty(Node root) {
        return root == null ? Node.EMPTY : root;
    }

    /**
     * The messages at and below {@code root} whose topics {@code filter} matches (every one for a
     * null filter), in depth-first order. A loop over an explicit stack of (node, index of the
     * filter level it is to match) pairs, children pushed in reverse so they come off in map
     * order: the thread's stack does not grow with the number of levels.
     */
    private static List<RetainedMessage> collect(Node root, String filter) {
        List<RetainedMessage> out = new ArrayList<>();
        Deque<Visit> stack = new ArrayDeque<>();
        stack.push(new Visit(root, filter == null ? Visit.EVERYTHING : 0));
        int length = filter == null ? 0 : filter.length();
        while (!stack.isEmpty()) {
            Visit visit = stack.pop();
            Node node = visit.node();
            int start = visit.filterStart();
            if (start == Visit.EVERYTHING || start > length) {
                if (node.message != null) {
                    out.add(node.message);
                }
                if (start == Visit.EVERYTHING) {
                    pushChildren(stack, node, Visit.EVERYTHING, false);
                }
                continue;
            }
            int end = TopicFilter.levelEnd(filter, start);
            boolean single = end - start == 1;
            boolean atRoot = start == 0; // [MQTT-4.7.2-1]: a wildcard first level skips '$' topics
            if (single && filter.charAt(start) == '#') {
                if (node.message != null) {
                    out.add(node.message); // "a/#" matches "a"
                }
                pushChildren(stack, node, Visit.EVERYTHING, atRoot);
            } else if (single && filter.charAt(start) == '+') {
                pushChildren(stack, node, end + 1, atRoot);
            } else {
                Node child = node.children.getRegion(filter, start, end);
                if (child != null) {
                    stack.push(new Visit(child, end + 1));
                }
            }
        }
        return out;
    }

    private static void pushChildren(Deque<Visit> stack, Node node, int filterStart, boolean skipDollar) {
        List<Node> children = new ArrayList<>(node.children.size());
        node.children.forEach((level, child) -> {
            if (!(skipDollar && level.startsWith("$"))) {
                children.add(child);
            }
        });
        for (int i = children.size() - 1; i >= 0; i--) {
            stack.push(new Visit(children.get(i), filterStart));
        }
    }

    /** A node still to visit, and the index in the filter of the level it is to match. */
    private record Visit(Node node, int filterStart) {
        /** The node and everything below it match (the filter's {@code #} was reached). */
        static final int EVERYTHING = -1;
    }

    /**
     * The nodes from the root down to a topic's node, and the level that leads out of each: the
     * explicit stack that path copying uses instead of recursion. A missing node on the way is
     * {@link Node#EMPTY}, so a retain can build it.
     */
    private static final class Path {
        /** {@code nodes[0]} is the root, {@code nodes[levels]} the topic's node. */
        private final Node[] nodes;
        private final String[] levels;

        private Path(Node[] nodes, String[] levels) {
            this.nodes = nodes;
            this.levels = levels;
        }

        static Path walk(Node root, String topic) {
            int count = TopicFilter.levelCount(topic);
            Node[] nodes = new Node[count + 1];
            String[] levels = new String[count];
            Node node = root;
            int start = 0;
            for (int i = 0; i < count; i++) {
                int end = TopicFilter.levelEnd(topic, start);
                nodes[i] = node;
                levels[i] = topic.substring(start, end);
                Node child = node.children.get(levels[i]);
                node = child == null ? Node.EMPTY : child;
                start = end + 1;
            }
            nodes[count] = node;
            return new Path(nodes, levels);
        }

        Node end() {
            return nodes[levels.length];
        }

        /**
         * The root of the trie in which the topic's node is replaced by {@code changed}, copying
         * the nodes above it bottom-up. A null {@code changed} deletes the topic's message: its
         * node, and each parent left with no message and no children, is removed. Null when the
         * whole trie is left empty.
         */
        Node rebuild(Node changed) {
            Node end = end();
            Node node = changed != null ? changed
                    : end.children.isEmpty() ? null : new Node(end.children, null);
            for (int i = levels.length - 1; i >= 0; i--) {
                Node parent = nodes[i];
                HashTrieMap<String, Node> children = node == null
                        ? parent.children.remove(levels[i])
                        : parent.children.put(levels[i], node);
                node = children.isEmpty() && parent.message == null ? null : new Node(children, parent.message);
            }
            return node;
        }
    }

    private static final class Node {
        static final Node EMPTY = new Node(HashTrieMap.empty(), null);

        final HashTrieMap<String, Node> children;
        final RetainedMessage message;

        Node(HashTrieMap<String, Node> children, RetainedMessage message) {
            this.children = children;
            this.message = message;
        }
    }
}
