package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.topic.SharedSubscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of a Mosquitto ACL file, and the three questions the broker asks them.
 *
 * <p>A file has three kinds of rules: {@code topic} lines before the first {@code user} line
 * apply to anonymous clients; {@code topic} lines after {@code user NAME} apply to the client
 * that authenticated as NAME; {@code pattern} lines, wherever they stand, apply to every client,
 * with {@code %c} and {@code %u} levels standing for its client identifier and user name.
 *
 * <p>A check runs in Mosquitto 2.0's order ({@code security_default.c}): first the client's own
 * section (the anonymous one for a client without user name): a matching {@code deny} refuses,
 * else a matching rule with the access grants. Then the patterns, the same way. A client whose
 * user name or identifier contains {@code +} or {@code #} gets nothing from the patterns (it
 * could otherwise widen a {@code %c} rule into a wildcard). Whatever is neither granted nor
 * denied is refused: with an ACL in force, access must be granted.
 *
 * <p>Subscriptions: Mosquitto 2.0 grants every SUBSCRIBE and only filters deliveries; this broker
 * also refuses at SUBSCRIBE time, so a client sees SUBACK 0x80 / 0x87. A filter is granted when
 * a read rule covers every topic it can match and no deny rule does ({@link #maySubscribe}).
 * Deliveries are still checked topic by topic, so a rule that denies part of a granted filter
 * ({@code read a/#} with {@code deny a/secret}) keeps that part away.
 */
public final class AccessControlList {

    private static final int READ = Permission.READ.bits;
    private static final int WRITE = Permission.WRITE.bits;

    private final RuleTrie anonymous;
    private final Map<String, RuleTrie> users;
    private final RuleTrie patterns;
    private final int ruleCount;

    private AccessControlList(RuleTrie anonymous, Map<String, RuleTrie> users, RuleTrie patterns, int ruleCount) {
        this.anonymous = anonymous;
        this.users = users;
        this.patterns = patterns;
        this.ruleCount = ruleCount;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How many topic and pattern rules the list holds. */
    public int ruleCount() {
        return ruleCount;
    }

    /** May {@code who} publish to {@code topic} (a PUBLISH, or a will when it is published)? */
    public boolean mayWrite(ClientIdentity who, String topic) {
        return decide(who, WRITE, topic, false);
    }

    /** May {@code who} receive a message on {@code topic} (a delivery or a retained message)? */
    public boolean mayRead(ClientIdentity who, String topic) {
        return decide(who, READ, topic, false);
    }

    /**
     * May {@code who} subscribe to {@code filter}? A shared subscription is judged by the filter
     * it shares ({@code $share/g/a/#} as {@code a/#}), as Mosquitto judges its messages by topic.
     */
    public boolean maySubscribe(ClientIdentity who, String filter) {
        SharedSubscription shared = SharedSubscription.parse(filter);
        String plain = shared == null ? filter : shared.filter();
        return decide(who, READ, plain, true);
    }

    private boolean decide(ClientIdentity who, int access, String topicOrFilter, boolean covering) {
        RuleTrie own = who.isAnonymous() ? anonymous : users.get(who.username());
        if (own != null) {
            int bits = match(own, topicOrFilter, covering, who);
            if ((bits & RuleTrie.DENIED) != 0) {
                return false;
            }
            if ((bits & access) != 0) {
                return true;
            }
        }
        if (patterns == null || hasWildcard(who.username()) || hasWildcard(who.clientId())) {
            return false;
        }
        int bits = match(patterns, topicOrFilter, covering, who);
        return (bits & RuleTrie.DENIED) == 0 && (bits & access) != 0;
    }

    private static int match(RuleTrie section, String topicOrFilter, boolean covering, ClientIdentity who) {
        return covering ? section.matchCovering(topicOrFilter, who) : section.matchTopic(topicOrFilter, who);
    }

    private static boolean hasWildcard(String name) {
        return name != null && (name.indexOf('+') >= 0 || name.indexOf('#') >= 0);
    }

    /** Collects rules in file order; {@link #build} makes the immutable list. */
    public static final class Builder {
        private final List<AclRule> anonymousRules = new ArrayList<>();
        private final Map<String, List<AclRule>> userRules = new LinkedHashMap<>();
        private final List<AclRule> patternRules = new ArrayList<>();

        private Builder() {
        }

        /** A {@code topic} line: for {@code username}'s section, or the anonymous one when null. */
        public Builder topic(String username, AclRule rule) {
            Objects.requireNonNull(rule, "rule");
            if (username == null) {
                anonymousRules.add(rule);
            } else {
                userRules.computeIfAbsent(username, u -> new ArrayList<>()).add(rule);
            }
            return this;
        }

        /** A {@code pattern} line. */
        public Builder pattern(AclRule rule) {
            patternRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public AccessControlList build() {
            Map<String, RuleTrie> byUser = new HashMap<>();
            int count = anonymousRules.size() + patternRules.size();
            for (Map.Entry<String, List<AclRule>> e : userRules.entrySet()) {
                byUser.put(e.getKey(), RuleTrie.of(e.getValue(), false));
                count += e.getValue().size();
            }
            return new AccessControlList(
                    anonymousRules.isEmpty() ? null : RuleTrie.of(anonymousRules, false),
                    Map.copyOf(byUser),
                    patternRules.isEmpty() ? null : RuleTrie.of(patternRules, true),
                    count);
        }
    }
}
