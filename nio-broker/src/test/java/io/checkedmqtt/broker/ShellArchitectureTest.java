package io.checkedmqtt.broker;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.checkedmqtt.broker.archfixture.ShellThatDecides;
import org.junit.jupiter.api.Test;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The shell runs effects and nothing else: it talks to the core only through the broker API
 * (BrokerCore, effects, timers), the packet values and the codec, never through the core's
 * sessions, routing or collections, where protocol decisions live.
 */
@AnalyzeClasses(packages = "io.checkedmqtt.broker", importOptions = ImportOption.DoNotIncludeTests.class)
class ShellArchitectureTest {

    @ArchTest
    static final ArchRule shell_uses_only_the_core_api = noClasses()
            .that().resideInAPackage("io.checkedmqtt.broker..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.checkedmqtt.core.session..", "io.checkedmqtt.core.routing..",
                    "io.checkedmqtt.core.topic..", "io.checkedmqtt.core.collect..")
            .because("protocol behaviour is decided in the core; the shell only carries out effects");

    @ArchTest
    static final ArchRule no_thread_per_connection = noClasses()
            .that().resideInAPackage("io.checkedmqtt.broker..")
            .and().doNotHaveSimpleName("MqttBroker").and().doNotHaveSimpleName("Main")
            .should().callConstructor(Thread.class, Runnable.class, String.class)
            .orShould().callConstructor(Thread.class, Runnable.class)
            .because("one selector thread serves every connection");

    @ArchTest
    static final ArchRule no_blocking_sockets = noClasses()
            .that().resideInAPackage("io.checkedmqtt.broker..")
            .should().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
            .because("the loop uses non-blocking channels only");

    /** Guard: each rule fails on a class that breaks it, so a rule can never pass vacuously. */
    @Test
    void rulesBiteOnAFixture() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ShellThatDecides.class);
        assertThrows(AssertionError.class, () -> shell_uses_only_the_core_api.check(fixture));
        assertThrows(AssertionError.class, () -> no_thread_per_connection.check(fixture));
        assertThrows(AssertionError.class, () -> no_blocking_sockets.check(fixture));
    }
}
