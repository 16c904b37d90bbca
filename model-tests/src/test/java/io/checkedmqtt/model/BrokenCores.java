package io.checkedmqtt.model;

import io.checkedmqtt.testkit.TestedCore;

/** The {@link BrokenCore} faults for tests outside this package (the running broker with a broken core). */
public final class BrokenCores {

    private BrokenCores() {
    }

    /** {@code real} with the {@link BrokenCore.Fault} named {@code fault}. */
    public static TestedCore of(String fault, TestedCore real) {
        return new BrokenCore(real, BrokenCore.Fault.valueOf(fault));
    }
}
