package io.checkedmqtt.model;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.testkit.TestConfigs;

import java.util.List;

/**
 * What a run may do. {@link #model()} exercises everything the core supports; {@link #spec(boolean)}
 * stays inside what {@code tla/MqttSession.tla} describes (one protocol version, no keep-alive,
 * no session expiry by time, acknowledgements sent at once, Receive Maximum = the spec's
 * constant) so that its runs can be checked by TLC as traces of the spec.
 *
 * @param clients          client identifiers
 * @param versions         0 = 3.1.1 only, 1 = 5.0 only, 2 = both, per connection
 * @param deferAcks        clients may withhold acknowledgements and send them in any order
 * @param timeDeadlines    keep-alive and finite session expiry are used
 * @param receiveMaximums  the Receive Maximum values 5.0 clients announce
 * @param minActions       shortest sequence
 * @param maxActions       longest sequence
 */
record Scenario(List<String> clients, int versions, boolean deferAcks, boolean timeDeadlines,
                List<Integer> receiveMaximums, int minActions, int maxActions) {

    /** The spec's ReceiveMaximum constant in trace runs. */
    static final int SPEC_RECEIVE_MAXIMUM = 2;
    /** The spec's MaxTimedResends constant in trace runs. */
    static final int TIMED_RESENDS = 2;
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    static Scenario model() {
        return new Scenario(List.of("c1", "c2", "c3"), 2, true, true, List.of(1, 2, 65_535), 20, 120);
    }

    static Scenario spec(boolean v5) {
        return new Scenario(List.of("c1", "c2", "c3"), v5 ? 1 : 0, false, false,
                List.of(SPEC_RECEIVE_MAXIMUM), 15, 90);
    }

    boolean specCompatible() {
        return !deferAcks && !timeDeadlines && versions != 2;
    }

    /** The broker settings the model runs use: a small window, 3.1.1 timed resends on. */
    static BrokerConfig config() {
        return TestConfigs.smallWindow().queueQos0WhileOffline(false).resendMaxAttempts(TIMED_RESENDS)
                .connectTimeoutMillis(10_000).maxKeepAliveSeconds(0).build();
    }
}
