package io.checkedmqtt.core.routing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The routing and topic packages stay pure: no I/O, threads, clocks, randomness or mutable statics. */
class RoutingPurityTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.checkedmqtt.core.routing", "io.checkedmqtt.core.topic");

    @Test
    @DisplayName("routing and topic use no I/O, concurrency, clock or randomness")
    void noEffects() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "java.io..", "java.net..", "java.nio.channels..", "java.nio.file..", "java.util.concurrent..",
                        "java.time..", "java.util.logging..", "java.lang.reflect..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .check(CLASSES);
    }

    @Test
    @DisplayName("routing and topic have no mutable static state and only final instance fields")
    void immutable() {
        fields().that().areStatic().should().beFinal().check(CLASSES);
        fields().should().beFinal().check(CLASSES.that(
                com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith("Accumulator"))));
    }
}
