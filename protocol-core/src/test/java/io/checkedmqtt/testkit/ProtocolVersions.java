package io.checkedmqtt.testkit;

import io.checkedmqtt.core.packet.ProtocolVersion;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The protocol versions as sources for parameterized tests, each named as the tests cite it
 * ({@code v3.1.1}, {@code v5}), so a failing run names its version:
 *
 * <pre>{@code
 * @ParameterizedTest(name = "{0}")
 * @MethodSource(ProtocolVersions.BOTH)
 * @DisplayName("v3.1.1 [MQTT-3.3.1-3] v5 [MQTT-3.3.1-3] ...")
 * void test(ProtocolVersion v) { ... }
 * }</pre>
 */
public final class ProtocolVersions {

    /** MQTT 3.1.1 and 5.0, the versions most rules are checked under. */
    public static final String BOTH = "io.checkedmqtt.testkit.ProtocolVersions#both";
    /** MQTT 3.1 and 3.1.1, where the two 3.x versions differ in detail. */
    public static final String BEFORE_5 = "io.checkedmqtt.testkit.ProtocolVersions#before5";
    /** MQTT 3.1, 3.1.1 and 5.0. */
    public static final String ALL = "io.checkedmqtt.testkit.ProtocolVersions#all";

    private ProtocolVersions() {
    }

    public static Stream<Named<ProtocolVersion>> both() {
        return Stream.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5).map(ProtocolVersions::named);
    }

    public static Stream<Named<ProtocolVersion>> before5() {
        return Stream.of(ProtocolVersion.MQTT_3_1, ProtocolVersion.MQTT_3_1_1).map(ProtocolVersions::named);
    }

    public static Stream<Named<ProtocolVersion>> all() {
        return Arrays.stream(ProtocolVersion.values()).map(ProtocolVersions::named);
    }

    /** Every pair of a version of {@link #both()} and one of {@code values}, for tests with a second parameter. */
    public static Stream<Arguments> bothWith(Object... values) {
        return both().flatMap(v -> Arrays.stream(values).map(value -> Arguments.of(v, value)));
    }

    /** Every pair of a version of {@link #all()} and one of {@code values}. */
    public static Stream<Arguments> allWith(Object... values) {
        return all().flatMap(v -> Arrays.stream(values).map(value -> Arguments.of(v, value)));
    }

    /** The version as the tests cite it: v3.1, v3.1.1, v5. */
    public static String label(ProtocolVersion version) {
        return switch (version) {
            case MQTT_3_1 -> "v3.1";
            case MQTT_3_1_1 -> "v3.1.1";
            case MQTT_5 -> "v5";
        };
    }

    private static Named<ProtocolVersion> named(ProtocolVersion version) {
        return Named.of(label(version), version);
    }
}
