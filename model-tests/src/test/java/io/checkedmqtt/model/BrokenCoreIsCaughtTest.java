package io.checkedmqtt.model;

import io.checkedmqtt.testkit.TestedCore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model test can fail: against each deliberately broken variant of the core it must find a
 * violation within a bounded number of sequences, and shrink it to a short counterexample.
 */
class BrokenCoreIsCaughtTest {

    @ParameterizedTest
    @EnumSource(BrokenCore.Fault.class)
    @DisplayName("v3.1.1 [MQTT-4.3.3-2, MQTT-3.8.4-6] + v5 [MQTT-4.3.3-10, MQTT-3.8.4-8] the reference model rejects a broken core")
    void modelCatchesBrokenCore(BrokenCore.Fault fault) {
        ActionRunner runner = new ActionRunner(Scenario.model(), config -> new BrokenCore(TestedCore.of(config), fault));
        ActionRunner.Outcome found = null;
        long base = 42;
        for (int i = 0; i < 3_000 && found == null; i++) {
            ActionRunner.Outcome o = runner.run(base + i);
            if (o.failed()) {
                found = o;
            }
        }
        assertNotNull(found, fault + " went unnoticed in 3000 sequences");
        ActionRunner.Outcome small = runner.shrink(found);
        System.out.println("[model] " + fault + " caught (" + found.actions().size() + " actions, shrunk to "
                + small.actions().size() + "): " + small.describe());
        assertTrue(small.failed(), "the shrunk sequence still fails");
        assertTrue(small.violation() != null, "caught by an invariant, not by a crash: " + small.describe());
        assertTrue(small.actions().size() <= found.actions().size());
        assertTrue(small.actions().size() <= 25, "shrinking gives a short counterexample: " + small.describe());
    }
}
