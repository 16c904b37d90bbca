package io.checkedmqtt.core;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.io.Console;
import java.io.File;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.Writer;
import java.nio.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.util.BitSet;
import java.util.Collection;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps protocol-core pure (DESIGN.md, "protocol-core is pure"): it depends on java.base only,
 * does no I/O, starts no threads, reads no clock, draws no random numbers, logs nothing, uses no
 * reflection, and holds no mutable state: every field is final and no static field holds a
 * mutable object. {@link ArchitectureGuardTest} proves each rule can fail.
 *
 * <p>The mutable-static rule is a syntactic approximation: it forbids static arrays and static
 * fields whose declared type is a known mutable class (collections, maps, buffers, builders,
 * {@link BitSet}); a static {@code List} holding {@code List.of(...)} passes, as it should.
 */
@AnalyzeClasses(packages = "io.checkedmqtt.core", importOptions = ImportOption.DoNotIncludeTests.class)
public class ArchitectureTest {

    static final String CORE = "io.checkedmqtt.core..";

    /** A class from the JDK's java.base module, a primitive, or protocol-core itself. */
    static final DescribedPredicate<JavaClass> JAVA_BASE_OR_CORE = describe("in java.base or protocol-core", c -> {
        JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
        if (base.isPrimitive() || base.getPackageName().startsWith("io.checkedmqtt.core")) {
            return true;
        }
        try {
            Module module = Class.forName(base.getName(), false, ClassLoader.getPlatformClassLoader()).getModule();
            return "java.base".equals(module.getName());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    });

    public static final ArchRule USES_ONLY_JAVA_BASE = classes().that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat(JAVA_BASE_OR_CORE)
            .because("protocol-core depends on java.base only");

    public static final ArchRule DEPENDS_ON_NO_OTHER_MODULE = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("io.checkedmqtt.broker..", "io.checkedmqtt.model..",
                    "io.checkedmqtt.bench..")
            .because("the other modules depend on protocol-core, never the other way round");

    public static final ArchRule NO_IO = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat(resideInAnyPackage("java.nio.channels..", "java.net..", "java.nio.file..")
                    .or(assignableTo(InputStream.class)).or(assignableTo(OutputStream.class))
                    .or(assignableTo(Reader.class)).or(assignableTo(Writer.class))
                    .or(assignableTo(File.class)).or(assignableTo(RandomAccessFile.class))
                    .or(assignableTo(FileDescriptor.class)).or(assignableTo(Console.class)))
            .because("the shell does all I/O; the core gets bytes and returns effects");

    public static final ArchRule NO_THREADS_OR_CONCURRENCY = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat(resideInAnyPackage("java.util.concurrent..")
                    .or(assignableTo(Thread.class)).or(assignableTo(ThreadGroup.class))
                    .or(assignableTo(ThreadLocal.class)))
            .because("the core is single-threaded values and functions");

    public static final ArchRule NO_CLOCK = noClasses().that().resideInAPackage(CORE)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().dependOnClassesThat(assignableTo(Clock.class))
            .orShould().callMethodWhere(describe("a java.time now() method", call ->
                    call.getTarget().getName().equals("now")
                            && call.getTarget().getOwner().getPackageName().equals("java.time")))
            .because("time is an argument: `now` comes in, deadlines go out");

    public static final ArchRule NO_RANDOMNESS = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat(assignableTo(Random.class).or(assignableTo(SplittableRandom.class)))
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(StrictMath.class, "random")
            .orShould().callMethod(UUID.class, "randomUUID")
            .because("identifiers and choices come in as arguments, so every run can be replayed");

    public static final ArchRule NO_LOGGING = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat(resideInAnyPackage("java.util.logging..", "org.slf4j..", "org.apache.logging..",
                            "org.apache.commons.logging..", "ch.qos.logback..")
                    .or(assignableTo(System.Logger.class)))
            .orShould().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("the core reports through results and effects; the shell logs");

    public static final ArchRule NO_REFLECTION = noClasses().that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("java.lang.reflect..")
            .orShould().callMethod(Class.class, "forName", String.class)
            .because("the core is plain code a reader can follow");

    public static final ArchRule ALL_FIELDS_FINAL = fields().that().areDeclaredInClassesThat().resideInAPackage(CORE)
            .should().beFinal()
            .because("core values are immutable");

    public static final ArchRule NO_MUTABLE_STATIC_STATE = fields().that().areDeclaredInClassesThat().resideInAPackage(CORE)
            .and().areStatic()
            .should(holdNoMutableObject())
            .because("static state would be shared by every connection and every test");

    /**
     * Imports among the core's packages run one way, so a reader can take them in the README's
     * order and never meet a name from a package still ahead.
     */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.checkedmqtt.core.(*)..")
            .should().beFreeOfCycles()
            .because("each package of the core depends only on those above it (README, How to read this code)");

    /**
     * The README's reading order as layers: each layer may use only the layers above it. The
     * cycle rule alone would allow a cycle-free import that runs the wrong way (session using
     * broker, say); this one fixes the direction.
     */
    public static final ArchRule PACKAGES_IN_READING_ORDER = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("collect").definedBy("io.checkedmqtt.core.collect..")
            .layer("packet").definedBy("io.checkedmqtt.core.packet..")
            .layer("codec").definedBy("io.checkedmqtt.core.codec..")
            .layer("topic").definedBy("io.checkedmqtt.core.topic..")
            .layer("routing").definedBy("io.checkedmqtt.core.routing..")
            .layer("auth").definedBy("io.checkedmqtt.core.auth..")
            .layer("config").definedBy("io.checkedmqtt.core.config..")
            .layer("effect").definedBy("io.checkedmqtt.core.effect..")
            .layer("session").definedBy("io.checkedmqtt.core.session..")
            .layer("conformance").definedBy("io.checkedmqtt.core.conformance..")
            .layer("broker").definedBy("io.checkedmqtt.core.broker..")
            .layer("durable").definedBy("io.checkedmqtt.core.durable..")
            .whereLayer("durable").mayNotBeAccessedByAnyLayer()
            .whereLayer("broker").mayOnlyBeAccessedByLayers("durable")
            .whereLayer("conformance").mayOnlyBeAccessedByLayers("broker", "durable")
            .whereLayer("session").mayOnlyBeAccessedByLayers("conformance", "broker", "durable")
            .whereLayer("effect").mayOnlyBeAccessedByLayers("session", "conformance", "broker", "durable")
            .whereLayer("config").mayOnlyBeAccessedByLayers("effect", "session", "conformance", "broker", "durable")
            .whereLayer("auth").mayOnlyBeAccessedByLayers("config", "effect", "session", "conformance", "broker",
                    "durable")
            .whereLayer("routing").mayOnlyBeAccessedByLayers("auth", "config", "effect", "session", "conformance",
                    "broker", "durable")
            .whereLayer("topic").mayOnlyBeAccessedByLayers("routing", "auth", "config", "effect", "session",
                    "conformance", "broker", "durable")
            .whereLayer("codec").mayOnlyBeAccessedByLayers("topic", "routing", "auth", "config", "effect", "session",
                    "conformance", "broker", "durable")
            .whereLayer("packet").mayOnlyBeAccessedByLayers("codec", "topic", "routing", "auth", "config", "effect",
                    "session", "conformance", "broker", "durable")
            .because("each package of the core depends only on those above it (README, How to read this code)");

    private static ArchCondition<JavaField> holdNoMutableObject() {
        DescribedPredicate<JavaClass> mutable = assignableTo(Collection.class).and(describe("a mutable class",
                        c -> !c.isInterface() && !c.getName().startsWith("java.util.ImmutableCollections")))
                .or(assignableTo(Map.class).and(describe("a mutable class", c -> !c.isInterface())))
                .or(assignableTo(Buffer.class)).or(assignableTo(BitSet.class))
                .or(assignableTo(StringBuilder.class)).or(assignableTo(StringBuffer.class));
        return new ArchCondition<>("be final and hold no array, collection, map, buffer or builder object") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                boolean synthetic = field.getModifiers().contains(JavaModifier.SYNTHETIC); // enum $VALUES, switch maps
                JavaClass type = field.getRawType();
                boolean violates = !field.getModifiers().contains(JavaModifier.FINAL)
                        || !synthetic && (type.isArray() || mutable.test(type));
                events.add(new SimpleConditionEvent(field, !violates,
                        field.getFullName() + " of type " + type.getName() + " is mutable static state"));
            }
        };
    }

    @ArchTest
    static final ArchRule core_uses_only_java_base = USES_ONLY_JAVA_BASE;
    @ArchTest
    static final ArchRule core_depends_on_no_other_module = DEPENDS_ON_NO_OTHER_MODULE;
    @ArchTest
    static final ArchRule core_does_no_io = NO_IO;
    @ArchTest
    static final ArchRule core_uses_no_threads = NO_THREADS_OR_CONCURRENCY;
    @ArchTest
    static final ArchRule core_reads_no_clock = NO_CLOCK;
    @ArchTest
    static final ArchRule core_draws_no_random_numbers = NO_RANDOMNESS;
    @ArchTest
    static final ArchRule core_logs_nothing = NO_LOGGING;
    @ArchTest
    static final ArchRule core_uses_no_reflection = NO_REFLECTION;
    @ArchTest
    static final ArchRule core_fields_are_final = ALL_FIELDS_FINAL;
    @ArchTest
    static final ArchRule core_has_no_mutable_static_state = NO_MUTABLE_STATIC_STATE;
    @ArchTest
    static final ArchRule core_packages_have_no_cycles = NO_PACKAGE_CYCLES;
    @ArchTest
    static final ArchRule core_packages_follow_the_reading_order = PACKAGES_IN_READING_ORDER;
}
