package io.checkedmqtt.broker;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.checkedmqtt.broker.reachfixture.UnusedEntry;
import io.checkedmqtt.broker.reachfixture.UnusedHelper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No production class of protocol-core or nio-broker is reachable only from tests. Production
 * runs through two doors, the command line ({@link Main}) and the embedding API
 * ({@link MqttBroker}); everything it can ever execute is what those two depend on, directly or
 * through other production classes. The check imports the compiled production classes of both
 * modules (no test classes), walks the dependency graph ArchUnit reads from the bytecode (calls,
 * field and constructor accesses, types of fields, parameters and results, casts, instanceof,
 * supertypes) from the two entry points, and lists every top-level class it never reached.
 *
 * <p>Nested and synthetic classes ({@code Effect$Send}, {@code Outbound$1}) count with the
 * top-level class that holds them: reaching one reaches the whole file, and the whole file's
 * dependencies are followed. A constant the compiler inlines leaves no trace in bytecode, so a
 * class used only for its {@code static final} primitives would be reported; none is.
 */
class ReachabilityTest {

    static final List<String> ENTRY_POINTS = List.of(Main.class.getName(), MqttBroker.class.getName());

    private static Collection<JavaClass> production() {
        List<JavaClass> out = new ArrayList<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.checkedmqtt.core", "io.checkedmqtt.broker").forEach(out::add);
        return out;
    }

    /** The top-level class a class is written in: itself, or the class it is nested in. */
    static String owner(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    /**
     * The top-level classes of {@code universe} that no dependency path from {@code entryPoints}
     * reaches, following only dependencies into {@code universe}.
     */
    static Set<String> unreachable(Collection<JavaClass> universe, List<String> entryPoints) {
        Map<String, List<JavaClass>> byOwner = new HashMap<>();
        for (JavaClass c : universe) {
            byOwner.computeIfAbsent(owner(c.getName()), k -> new ArrayList<>()).add(c);
        }
        Set<String> reached = new HashSet<>();
        Deque<String> work = new ArrayDeque<>();
        for (String entry : entryPoints) {
            if (!byOwner.containsKey(owner(entry))) {
                throw new IllegalArgumentException("entry point not among the classes: " + entry);
            }
            if (reached.add(owner(entry))) {
                work.add(owner(entry));
            }
        }
        while (!work.isEmpty()) {
            for (JavaClass c : byOwner.get(work.poll())) {
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    String target = owner(d.getTargetClass().getBaseComponentType().getName());
                    if (byOwner.containsKey(target) && reached.add(target)) {
                        work.add(target);
                    }
                }
            }
        }
        Set<String> unreached = new TreeSet<>(byOwner.keySet());
        unreached.removeAll(reached);
        unreached.removeIf(name -> name.endsWith(".package-info"));
        return unreached;
    }

    @Test
    @DisplayName("every production class of protocol-core and nio-broker is reachable from Main or MqttBroker")
    void everyProductionClassIsReachable() {
        Collection<JavaClass> classes = production();
        assertTrue(classes.stream().anyMatch(c -> c.getName().startsWith("io.checkedmqtt.core.session.")),
                "protocol-core's classes were imported");
        assertTrue(classes.stream().noneMatch(c -> c.getName().equals(ReachabilityTest.class.getName())),
                "no test class was imported");
        assertEquals(Set.of(), unreachable(classes, ENTRY_POINTS),
                "production classes that only tests (or nothing) use: wire them in or delete them");
    }

    @Test
    @DisplayName("guard: the check reports a class nothing reaches, and one reached only from it, nested class included")
    void reportsAnUnreachableFixture() {
        Collection<JavaClass> production = production();
        List<JavaClass> classes = new ArrayList<>(production);
        new ClassFileImporter().importClasses(UnusedEntry.class, UnusedHelper.class, UnusedHelper.Pair.class)
                .forEach(classes::add);
        Set<String> alreadyUnreachable = unreachable(production, ENTRY_POINTS);  // empty, unless the other test fails
        Set<String> reported = new TreeSet<>(unreachable(classes, ENTRY_POINTS));
        reported.removeAll(alreadyUnreachable);
        assertEquals(Set.of(UnusedEntry.class.getName(), UnusedHelper.class.getName()), reported);
        Set<String> fromNested = new TreeSet<>(unreachable(classes, List.of(Main.class.getName(),
                MqttBroker.class.getName(), UnusedHelper.Pair.class.getName())));
        fromNested.removeAll(alreadyUnreachable);
        assertEquals(Set.of(UnusedEntry.class.getName()), fromNested,
                "reaching a nested class reaches its owner, and what the owner uses");
    }
}
