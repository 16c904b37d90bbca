package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.Collections;
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
 */
public final class RetainedMessages {

    private static final RetainedMessages EMPTY = new RetainedMessages(Node.EMPTY, 0);

    private final Node root;
    private final int size;

    private RetainedMessages(Node root, int size) {
        this.root = root;
        this.size = size;
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

    /**
     * The store after a PUBLISH with RETAIN=1 to {@code publish.topic()} (a valid Topic Name):
     * an empty payload removes the topic's message, anything else replaces it. The stored copy has
     * packet id 0, DUP=0, RETAIN=1 and no Topic Alias (aliases belong to one connection).
     */
    public RetainedMessages retain(Publish publish, long receivedAtMillis) {
        String topic = publish.topic();
        if (publish.payload().length == 0) {
            if (get(topic) == null) {
                return this;
            }
            Node newRoot = delete(root, topic, 0);
            return new RetainedMessages(newRoot == null ? Node.EMPTY : newRoot, size - 1);
        }
        Publish stored = new Publish(topic, publish.payload(), publish.qos(), true, false, 0,
                publish.properties().without(PropertyId.TOPIC_ALIAS));
        boolean replacing = get(topic) != null;
        Node newRoot = insert(root, topic, 0, new RetainedMessage(stored, receivedAtMillis));
        return new RetainedMessages(newRoot, replacing ? size : size + 1);
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
        List<RetainedMessage> out = new ArrayList<>();
        collect(root, filter, 0, true, out);
        return Collections.unmodifiableList(out);
    }

    /** The store without the messages whose Message Expiry Interval has passed at {@code nowMillis}. */
    public RetainedMessages withoutExpired(long nowMillis) {
        List<RetainedMessage> all = new ArrayList<>();
        collectAll(root, all);
        RetainedMessages store = this;
        for (RetainedMessage m : all) {
            if (MessageExpiry.isExpired(m.publish(), m.receivedAtMillis(), nowMillis)) {
                Node newRoot = delete(store.root, m.publish().topic(), 0);
                store = new RetainedMessages(newRoot == null ? Node.EMPTY : newRoot, store.size - 1);
            }
        }
        return store;
    }

    private static void collect(Node node, String filter, int start, boolean atRoot, List<RetainedMessage> out) {
        if (start > filter.length()) {
            if (node.message != null) {
                out.add(node.message);
            }
            return;
        }
        int end = TopicFilter.levelEnd(filter, start);
        boolean single = end - start == 1;
        if (single && filter.charAt(start) == '#') {
            if (node.message != null) {
                out.add(node.message); // "a/#" matches "a"
            }
            node.children.forEach((level, child) -> {
                if (!(atRoot && level.startsWith("$"))) { // [MQTT-4.7.2-1]
                    collectAll(child, out);
                }
            });
            return;
        }
        if (single && filter.charAt(start) == '+') {
            node.children.forEach((level, child) -> {
                if (!(atRoot && level.startsWith("$"))) { // [MQTT-4.7.2-1]
                    collect(child, filter, end + 1, false, out);
                }
            });
            return;
        }
        Node child = node.children.getRegion(filter, start, end);
        if (child != null) {
            collect(child, filter, end + 1, false, out);
        }
    }

    private static void collectAll(Node node, List<RetainedMessage> out) {
        if (node.message != null) {
            out.add(node.message);
        }
        node.children.forEach((level, child) -> collectAll(child, out));
    }

    private static Node insert(Node node, String topic, int start, RetainedMessage message) {
        if (start > topic.length()) {
            return new Node(node.children, message);
        }
        int end = TopicFilter.levelEnd(topic, start);
        Node child = node.children.getRegion(topic, start, end);
        Node newChild = insert(child == null ? Node.EMPTY : child, topic, end + 1, message);
        return new Node(node.children.put(topic.substring(start, end), newChild), node.message);
    }

    private static Node delete(Node node, String topic, int start) {
        if (start > topic.length()) {
            return node.children.isEmpty() ? null : new Node(node.children, null);
        }
        int end = TopicFilter.levelEnd(topic, start);
        String level = topic.substring(start, end);
        Node child = node.children.get(level);
        if (child == null) {
            return node;
        }
        Node newChild = delete(child, topic, end + 1);
        HashTrieMap<String, Node> children = newChild == null
                ? node.children.remove(level)
                : node.children.put(level, newChild);
        return children.isEmpty() && node.message == null ? null : new Node(children, node.message);
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
