package io.checkedmqtt.core.session;

import io.checkedmqtt.core.broker.CycleFixtureBrokerSide;

/**
 * Test code only: with {@link CycleFixtureBrokerSide} it makes the package cycle session &lt;-&gt;
 * broker that the first wave had, so {@code ArchitectureGuardTest} can show the cycle and
 * reading-order rules fail on it.
 */
public final class CycleFixtureSessionSide {

    /** session importing broker: the direction the reading order forbids. */
    public static int upward() {
        return CycleFixtureBrokerSide.downward() + 1;
    }
}
