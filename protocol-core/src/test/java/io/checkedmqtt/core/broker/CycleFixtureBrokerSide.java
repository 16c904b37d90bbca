package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.session.CycleFixtureSessionSide;

/** Test code only: the broker half of the cycle {@link CycleFixtureSessionSide} closes. */
public final class CycleFixtureBrokerSide {

    public static int downward() {
        return 1;
    }

    static int back() {
        return CycleFixtureSessionSide.upward();
    }
}
