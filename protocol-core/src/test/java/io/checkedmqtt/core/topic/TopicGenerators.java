package io.checkedmqtt.core.topic;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.List;

import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Generators of topics and filters over a small alphabet of levels, so that random filters and
 * topics actually meet: empty levels, {@code $} levels, {@code +}, {@code #}, shared filters.
 */
public final class TopicGenerators {

    /** Topic levels: empty strings and {@code $} levels included on purpose. */
    public static final List<String> LEVELS = List.of("", "a", "b", "sport", "$SYS", "$a");

    public static final List<String> CLIENTS = List.of("c0", "c1", "c2", "c3", "c4");

    private TopicGenerators() {
    }

    /** Valid Topic Names of 1..5 levels. */
    public static Gen<String> topics() {
        return lists().of(Generate.pick(LEVELS)).ofSizeBetween(1, 5)
                .map(levels -> String.join("/", levels))
                .map(t -> t.isEmpty() ? "/" : t);
    }

    /** Valid non-shared Topic Filters of 1..5 levels, with '+' anywhere and '#' last. */
    public static Gen<String> filters() {
        Gen<String> level = Generate.frequency(
                org.quicktheories.api.Pair.of(4, Generate.pick(LEVELS)),
                org.quicktheories.api.Pair.of(2, Generate.constant("+")));
        Gen<List<String>> levels = lists().of(level).ofSizeBetween(1, 5);
        return levels.zip(Generate.booleans(), (ls, hash) -> {
            String joined = String.join("/", ls);
            if (hash) {
                return ls.size() == 1 && ls.get(0).isEmpty() ? "#" : joined + "/#";
            }
            return joined.isEmpty() ? "/" : joined;
        });
    }

    /** Filters, one in four of them shared ({@code $share/g1/...} or {@code $share/g2/...}). */
    public static Gen<String> subscriptionFilters() {
        return filters().zip(Generate.range(0, 7), (f, n) -> switch (n) {
            case 0 -> "$share/g1/" + f;
            case 1 -> "$share/g2/" + f;
            default -> f;
        });
    }

    public static Gen<String> clients() {
        return Generate.pick(CLIENTS);
    }

    /**
     * The matching rule written as plainly as possible, from the spec text, independently of
     * {@link TopicFilter#matches}: split both on '/', keep empty levels.
     */
    public static boolean naiveMatches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false; // [MQTT-4.7.2-1]
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // the rest, including the parent level alone
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
