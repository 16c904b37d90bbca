package io.checkedmqtt.broker.archfixture;

/** Stands in for a nio-broker class, so the guard test can show a core-to-shell dependency is caught. */
public final class ShellSideFixture {
    public static int answer() {
        return 42;
    }
}
