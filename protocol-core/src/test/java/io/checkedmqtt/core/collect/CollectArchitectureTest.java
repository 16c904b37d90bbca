package io.checkedmqtt.core.collect;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The collections are deeply immutable values and depend on java.base only. */
@AnalyzeClasses(packages = "io.checkedmqtt.core.collect", importOptions = ImportOption.DoNotIncludeTests.class)
class CollectArchitectureTest {

    @ArchTest
    static final ArchRule classes_are_final = classes().that().resideInAPackage("..core.collect..")
            .and().areNotInterfaces().and().doNotHaveSimpleName("package-info")
            .should().haveModifier(JavaModifier.FINAL);

    @ArchTest
    static final ArchRule fields_are_final = fields().that().areDeclaredInClassesThat().resideInAPackage("..core.collect..")
            .should().beFinal();

    @ArchTest
    static final ArchRule no_concurrency_reflection_or_io = noClasses().that().resideInAPackage("..core.collect..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "java.util.concurrent..", "java.lang.reflect..", "java.io..", "java.nio..", "java.net..");
}
