package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters of one ACL section as a trie of levels, so a check walks the topic once instead of
 * trying every line: a section of a thousand lines costs about what a section of ten does.
 *
 * <p>Each node is reached by one level of a rule's filter; {@code +} and {@code #} are children
 * like any other level (a topic level never contains them), and in a pattern section a level
 * that is exactly {@code %c} or {@code %u} becomes the child {@link #CLIENT_ID} or
 * {@link #USERNAME}. A node records what the rules ending there grant ({@link Permission#bits})
 * and whether one of them denies.
 *
 * <p>Two questions, both answered with {@link #DENIED}, {@link Permission#READ} and
 * {@link Permission#WRITE} bits over every matching rule:
 * <ul>
 *   <li>{@link #matchTopic}: the rules whose filter matches a topic name (a PUBLISH, a delivery,
 *       a retained message, a will). Matching is Mosquitto's: {@code #} also matches the parent
 *       level, and a topic starting with {@code $} is matched only by filters whose first level
 *       is literal.</li>
 *   <li>{@link #matchCovering}: the rules whose filter matches every topic a subscription filter
 *       can match ({@code a/#} covers {@code a/+/c} and {@code a}; {@code a/+} does not cover
 *       {@code a/#}).</li>
 * </ul>
 * Both walk level by level with a frontier of nodes, so the depth of a filter never becomes the
 * depth of a call stack.
 */
final class RuleTrie {

    /** Result bit: a matching rule denies. */
    static final int DENIED = 4;
    /** The child key of a {@code %c} level in a pattern; no topic level can contain '+'. */
    static final String CLIENT_ID = "+c";
    /** The child key of a {@code %u} level in a pattern. */
    static final String USERNAME = "+u";

    private static final String PLUS = "+";
    private static final String HASH = "#";

    private final Node root;

    private RuleTrie(Node root) {
        this.root = root;
    }

    /** The trie of {@code rules}; {@code patterns} turns whole {@code %c} / {@code %u} levels into placeholders. */
    static RuleTrie of(List<AclRule> rules, boolean patterns) {
        Draft top = new Draft();
        for (AclRule rule : rules) {
            Draft at = top;
            String filter = rule.filter();
            int start = 0;
            while (true) {
                int end = TopicFilter.levelEnd(filter, start);
                at = at.child(key(filter.substring(start, end), patterns));
                if (end == filter.length()) {
                    break;
                }
                start = end + 1;
            }
            at.add(rule.permission());
        }
        return new RuleTrie(top.freeze());
    }

    private static String key(String level, boolean patterns) {
        if (patterns && level.equals("%c")) {
            return CLIENT_ID;
        }
        if (patterns && level.equals("%u")) {
            return USERNAME;
        }
        return level;
    }

    /** The bits of every rule whose filter matches the topic name {@code topic}. */
    int matchTopic(String topic, ClientIdentity who) {
        boolean dollar = topic.startsWith("$");
        List<Node> frontier = List.of(root);
        int result = 0;
        int start = 0;
        boolean first = true;
        while (true) {
            int end = TopicFilter.levelEnd(topic, start);
            String level = topic.substring(start, end);
            boolean literalOnly = first && dollar;
            List<Node> next = new ArrayList<>(2);
            for (Node node : frontier) {
                if (!literalOnly) {
                    result |= bitsOf(node.children.get(HASH)); // '#' matches this level and all below
                }
                addIfPresent(next, node.children.get(level));
                if (!literalOnly) {
                    addWildcardChildren(next, node, level, who);
                }
            }
            frontier = next;
            if (end == topic.length() || frontier.isEmpty()) {
                break;
            }
            start = end + 1;
            first = false;
        }
        for (Node node : frontier) {
            result |= node.bits | bitsOf(node.children.get(HASH)); // "a/#" matches "a"
        }
        return result;
    }

    /** The bits of every rule whose filter covers the subscription filter {@code filter}. */
    int matchCovering(String filter, ClientIdentity who) {
        boolean dollar = filter.startsWith("$");
        List<Node> frontier = List.of(root);
        int result = 0;
        int start = 0;
        boolean first = true;
        while (true) {
            int end = TopicFilter.levelEnd(filter, start);
            String level = filter.substring(start, end);
            boolean literalOnly = first && dollar;
            List<Node> next = new ArrayList<>(2);
            for (Node node : frontier) {
                if (!literalOnly) {
                    result |= bitsOf(node.children.get(HASH)); // a rule '#' here covers whatever follows
                }
                if (level.equals(HASH)) {
                    // Only a rule '#' at the same level covers a subscription '#', except at the top:
                    // '#' alone matches no empty topic, so '+/#' covers it too.
                    if (first) {
                        Node plus = node.children.get(PLUS);
                        result |= plus == null ? 0 : bitsOf(plus.children.get(HASH));
                    }
                    continue;
                }
                if (level.equals(PLUS)) {
                    addIfPresent(next, node.children.get(PLUS));
                    continue;
                }
                addIfPresent(next, node.children.get(level));
                if (!literalOnly) {
                    addWildcardChildren(next, node, level, who);
                }
            }
            frontier = next;
            if (end == filter.length() || frontier.isEmpty()) {
                break;
            }
            start = end + 1;
            first = false;
        }
        for (Node node : frontier) {
            result |= node.bits | bitsOf(node.children.get(HASH));
        }
        return result;
    }

    private static void addWildcardChildren(List<Node> next, Node node, String level, ClientIdentity who) {
        addIfPresent(next, node.children.get(PLUS));
        if (!level.isEmpty() && level.equals(who.clientId())) {
            addIfPresent(next, node.children.get(CLIENT_ID));
        }
        if (who.username() != null && !level.isEmpty() && level.equals(who.username())) {
            addIfPresent(next, node.children.get(USERNAME));
        }
    }

    private static void addIfPresent(List<Node> next, Node node) {
        if (node != null) {
            next.add(node);
        }
    }

    private static int bitsOf(Node node) {
        return node == null ? 0 : node.bits;
    }

    /** An immutable trie node: its children by level key, and the bits of the rules ending here. */
    private static final class Node {
        private final Map<String, Node> children;
        private final int bits;

        private Node(Map<String, Node> children, int bits) {
            this.children = children;
            this.bits = bits;
        }
    }

    /** A node while the trie is built; {@link #freeze} turns the whole draft tree into {@link Node}s. */
    private static final class Draft {
        private final Map<String, Draft> children = new HashMap<>();
        private final List<Permission> ending = new ArrayList<>(1);

        Draft child(String key) {
            return children.computeIfAbsent(key, k -> new Draft());
        }

        void add(Permission permission) {
            ending.add(permission);
        }

        /** Freezes children before parents, in reverse breadth-first order, without recursion. */
        Node freeze() {
            List<Draft> order = new ArrayList<>();
            order.add(this);
            for (int i = 0; i < order.size(); i++) {
                order.addAll(order.get(i).children.values());
            }
            Map<Draft, Node> frozen = new IdentityHashMap<>();
            for (int i = order.size() - 1; i >= 0; i--) {
                Draft d = order.get(i);
                Map<String, Node> kids = new HashMap<>(d.children.size() * 2);
                d.children.forEach((k, v) -> kids.put(k, frozen.get(v)));
                int bits = 0;
                for (Permission p : d.ending) {
                    bits |= p == Permission.DENY ? DENIED : p.bits;
                }
                frozen.put(d, new Node(Map.copyOf(kids), bits));
            }
            return frozen.get(this);
        }
    }
}
