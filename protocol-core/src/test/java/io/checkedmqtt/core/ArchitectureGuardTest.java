package io.checkedmqtt.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.checkedmqtt.core.archfixture.ImpureFixture;
import io.checkedmqtt.core.broker.CycleFixtureBrokerSide;
import io.checkedmqtt.core.session.CycleFixtureSessionSide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each purity rule fails on a deliberately impure class: the rules can catch what they claim to. */
class ArchitectureGuardTest {

    private static final JavaClasses IMPURE = new ClassFileImporter().importClasses(ImpureFixture.class);

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("uses only java.base", ArchitectureTest.USES_ONLY_JAVA_BASE),
                Arguments.of("depends on no other module", ArchitectureTest.DEPENDS_ON_NO_OTHER_MODULE),
                Arguments.of("no I/O", ArchitectureTest.NO_IO),
                Arguments.of("no threads", ArchitectureTest.NO_THREADS_OR_CONCURRENCY),
                Arguments.of("no clock", ArchitectureTest.NO_CLOCK),
                Arguments.of("no randomness", ArchitectureTest.NO_RANDOMNESS),
                Arguments.of("no logging", ArchitectureTest.NO_LOGGING),
                Arguments.of("no reflection", ArchitectureTest.NO_REFLECTION),
                Arguments.of("all fields final", ArchitectureTest.ALL_FIELDS_FINAL),
                Arguments.of("no mutable static state", ArchitectureTest.NO_MUTABLE_STATIC_STATE));
    }

    /** session and broker importing each other, as they did before the shared vocabulary moved to effect and config. */
    private static final JavaClasses CYCLE = new ClassFileImporter()
            .importClasses(CycleFixtureSessionSide.class, CycleFixtureBrokerSide.class);

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    @DisplayName("the rule fails on ImpureFixture")
    void ruleFailsOnImpureFixture(String name, ArchRule rule) {
        assertThrows(AssertionError.class, () -> rule.check(IMPURE));
    }

    static Stream<Arguments> packageRules() {
        return Stream.of(
                Arguments.of("no package cycles", ArchitectureTest.NO_PACKAGE_CYCLES),
                Arguments.of("packages in reading order", ArchitectureTest.PACKAGES_IN_READING_ORDER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packageRules")
    @DisplayName("the rule fails on a session <-> broker import cycle")
    void ruleFailsOnPackageCycle(String name, ArchRule rule) {
        AssertionError failure = assertThrows(AssertionError.class, () -> rule.allowEmptyShould(true).check(CYCLE));
        // it fails for the import, not for some other reason (an empty layer, say)
        assertTrue(failure.getMessage().contains("CycleFixtureSessionSide"), failure.getMessage());
    }
}
