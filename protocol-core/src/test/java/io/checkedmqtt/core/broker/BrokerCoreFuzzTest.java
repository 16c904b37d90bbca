package io.checkedmqtt.core.broker;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the whole broker core (Jazzer): the fuzzer's bytes pick a
 * configuration and up to 300 inputs from several connections in any interleaving (CONNECT with
 * any version and options, PUBLISH, SUBSCRIBE, UNSUBSCRIBE, acknowledgements right or wrong, PINGREQ,
 * DISCONNECT, lost sockets, raw bytes through the decoder, time passing and the timers it fires;
 * {@link CoreFuzzRun}). After every step: nothing escaped the core, every packet it sends can be
 * written and fits the client's Maximum Packet Size, packet identifiers in flight are unique, the
 * PUBLISHes in flight on a connection stay within the client's Receive Maximum, a published message
 * reaches only matching subscriptions, and every session owed it at QoS 1/2 got it, queued it or
 * counted it as dropped ({@link CoreInvariants}).
 *
 * <p>The default build replays the saved inputs under
 * {@code src/test/resources/io/checkedmqtt/core/broker/BrokerCoreFuzzTestInputs/everyStepKeepsTheInvariants/};
 * {@code mvn -B -ntp verify -pl protocol-core -Pfuzz -Dfuzz.duration=20m -Dtest=BrokerCoreFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * fuzzes for real, and a finding lands in that directory.
 */
class BrokerCoreFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void everyStepKeepsTheInvariants(FuzzedDataProvider data) {
        new CoreFuzzRun(data).run();
    }
}
