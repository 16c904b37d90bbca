package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.topic.TopicGenerators;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

class RuleTrieTest {

    private static final ClientIdentity NOBODY = new ClientIdentity("c1", "u1");

    private static RuleTrie readOnly(String... filters) {
        List<AclRule> rules = new ArrayList<>();
        for (String f : filters) {
            rules.add(new AclRule(Permission.READ, f));
        }
        return RuleTrie.of(rules, false);
    }

    @Test
    @DisplayName("a rule matches exactly the topics its filter matches, the spec's matching included ($ topics, '#' matching the parent)")
    void topicMatchingAgreesWithTheFilterRule() {
        qt().withExamples(3_000).forAll(TopicGenerators.filters(), TopicGenerators.topics())
                .checkAssert((filter, topic) -> assertEquals(TopicGenerators.naiveMatches(filter, topic),
                        readOnly(filter).matchTopic(topic, NOBODY) == Permission.READ.bits, filter + " vs " + topic));
    }

    @Test
    @DisplayName("several rules in one trie: the result is the union of the rules that match")
    void severalRulesUnion() {
        qt().withExamples(1_000).forAll(lists().of(TopicGenerators.filters()).ofSizeBetween(1, 6), TopicGenerators.topics())
                .checkAssert((filters, topic) -> {
                    boolean any = filters.stream().anyMatch(f -> TopicGenerators.naiveMatches(f, topic));
                    assertEquals(any, readOnly(filters.toArray(String[]::new)).matchTopic(topic, NOBODY) != 0,
                            filters + " vs " + topic);
                });
    }

    /** Topic levels to try: the generators' alphabet and one level no filter names. */
    private static final List<String> PROBE_LEVELS = append(TopicGenerators.LEVELS, "zz");

    private static List<String> append(List<String> list, String extra) {
        List<String> out = new ArrayList<>(list);
        out.add(extra);
        return out;
    }

    /** Every topic of 1..maxLevels levels over {@link #PROBE_LEVELS}. */
    private static List<String> allTopics(int maxLevels) {
        List<String> out = new ArrayList<>();
        List<String> layer = List.of("");
        for (int depth = 1; depth <= maxLevels; depth++) {
            List<String> next = new ArrayList<>();
            for (String prefix : layer) {
                for (String level : PROBE_LEVELS) {
                    next.add(depth == 1 ? level : prefix + "/" + level);
                }
            }
            out.addAll(next);
            layer = next;
        }
        return out;
    }

    /** Filters of one to three levels (so every counterexample fits in five), '+' anywhere, '#' last. */
    private static Gen<String> shortFilters() {
        List<String> levels = append(TopicGenerators.LEVELS, "+");
        return lists().of(Generate.pick(levels)).ofSizeBetween(1, 3).zip(Generate.booleans(),
                (ls, hash) -> {
                    if (hash) { // '#' takes the last level's place
                        return ls.size() == 1 ? "#" : String.join("/", ls.subList(0, ls.size() - 1)) + "/#";
                    }
                    String joined = String.join("/", ls);
                    return joined.isEmpty() ? "/" : joined;
                });
    }

    @Test
    @DisplayName("a rule covers a subscription exactly when every topic the subscription matches is matched by the rule")
    void coveringIsImplication() {
        List<String> topics = allTopics(5);
        qt().withExamples(300).forAll(shortFilters(), shortFilters()).checkAssert((rule, sub) -> {
            boolean covers = topics.stream().allMatch(t -> !TopicGenerators.naiveMatches(sub, t)
                    || TopicGenerators.naiveMatches(rule, t));
            assertEquals(covers, readOnly(rule).matchCovering(sub, NOBODY) == Permission.READ.bits,
                    "rule " + rule + " covering " + sub);
        });
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "a/#, a/+/c, true", "a/#, a, true", "a/#, a/#, true", "#, #, true", "#, +/+, true",
            "a/+, a/#, false", "+, #, false", "a/+, a/b, true", "a/b, a/+, false", "+/#, a, true",
            "#, $SYS/x, false", "$SYS/#, $SYS/x/y, true", "+/x, $a/x, false", "a/+/#, a, false", "+/#, #, true", "a/+/#, a/#, false"})
    @DisplayName("covering examples")
    void coveringExamples(String rule, String sub, boolean covers) {
        assertEquals(covers, readOnly(rule).matchCovering(sub, NOBODY) != 0);
    }

    @Test
    @DisplayName("pattern levels %c and %u stand for the client id and user name, whole levels only")
    void patternLevels() {
        RuleTrie t = RuleTrie.of(List.of(new AclRule(Permission.READWRITE, "dev/%c/#"),
                new AclRule(Permission.READ, "users/%u"), new AclRule(Permission.READ, "x%c/y")), true);
        ClientIdentity c7 = new ClientIdentity("c7", "ann");
        assertEquals(3, t.matchTopic("dev/c7/temp", c7));
        assertEquals(3, t.matchTopic("dev/c7", c7));
        assertEquals(0, t.matchTopic("dev/c8/temp", c7));
        assertEquals(1, t.matchTopic("users/ann", c7));
        assertEquals(0, t.matchTopic("users/bob", c7));
        assertEquals(0, t.matchTopic("users/ann", new ClientIdentity("c7", null)), "%u needs a user name");
        assertEquals(0, t.matchTopic("xc7/y", c7), "%c inside a level is literal");
        assertEquals(1, t.matchTopic("x%c/y", c7));
        assertEquals(3, t.matchCovering("dev/c7/+", c7));
        assertEquals(0, t.matchCovering("dev/+/temp", c7), "another client's branch is not covered");
    }

    @Test
    @DisplayName("in a topic rule %c is literal text")
    void topicRulesDoNotSubstitute() {
        RuleTrie t = RuleTrie.of(List.of(new AclRule(Permission.READ, "dev/%c")), false);
        assertEquals(0, t.matchTopic("dev/c1", NOBODY));
        assertEquals(1, t.matchTopic("dev/%c", NOBODY));
    }

    @Test
    @DisplayName("a deny and a grant on the same topic report both; a filter of 10,000 levels is matched without deep recursion")
    void denyBitAndDepth() {
        RuleTrie t = RuleTrie.of(List.of(new AclRule(Permission.DENY, "a/b"), new AclRule(Permission.READ, "a/#")), false);
        assertEquals(RuleTrie.DENIED | 1, t.matchTopic("a/b", NOBODY));
        String deep = "x/".repeat(10_000) + "#";
        RuleTrie d = readOnly(deep);
        assertEquals(1, d.matchTopic("x/".repeat(10_000) + "end", NOBODY));
        assertEquals(1, d.matchCovering("x/".repeat(10_001) + "+", NOBODY));
        assertTrue(d.matchTopic("y", NOBODY) == 0);
    }

    @Test
    @DisplayName("broken variant: covering by matching the filter as if it were a topic (Mosquitto 1.x) is caught")
    void literalMatchingAsCoveringIsCaught() {
        List<String> topics = allTopics(4);
        List<String> filters = List.of("a", "a/+", "a/#", "+", "#", "+/+", "a/b", "+/#", "$SYS/#", "$SYS/+");
        // "a/+" matches the text "a/#" as a topic, yet "a/#" also matches "a/b/c", which "a/+" does not.
        String found = null;
        for (String rule : filters) {
            for (String sub : filters) {
                boolean covers = topics.stream().allMatch(t -> !TopicGenerators.naiveMatches(sub, t)
                        || TopicGenerators.naiveMatches(rule, t));
                assertEquals(covers, readOnly(rule).matchCovering(sub, NOBODY) != 0, rule + " covering " + sub);
                boolean literal = TopicGenerators.naiveMatches(rule, sub);
                if (found == null && literal != covers) {
                    found = rule + " vs " + sub;
                }
            }
        }
        assertTrue(found != null, "the exhaustive check must tell literal matching from covering");
    }
}
