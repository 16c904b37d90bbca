package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.SessionRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The core's session state of every client, written as the TLA+ value that the trace module's
 * {@code StateMapped} invariant compares with {@code tla/Mqtt.tla}'s variables: per client, the
 * record the core's {@link SessionRecord} writes (the running broker's {@code spec_trace} writes
 * the same), on the one topic filter the runs use.
 */
final class SessionStateRecord {

    private SessionStateRecord() {
    }

    static String of(BrokerState state, Collection<String> clients) {
        List<String> fields = new ArrayList<>();
        for (String c : clients) {
            fields.add(c + " |-> " + SessionRecord.of(state, c, World.TOPIC));
        }
        return "[" + String.join(", ", fields) + "]";
    }
}
