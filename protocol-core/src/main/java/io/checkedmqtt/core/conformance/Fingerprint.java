package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.packet.Publish;

import java.util.Arrays;

/**
 * What makes two PUBLISH packets the same message sent twice: topic, payload and QoS (a resend
 * changes only DUP and, when the client breaks the rules, the packet identifier). A hash: two
 * different messages sharing one is possible but needs the same identifier in flight as well to
 * matter.
 */
final class Fingerprint {

    private Fingerprint() {
    }

    static int of(Publish p) {
        return (p.topic().hashCode() * 31 + Arrays.hashCode(p.payload())) * 31 + p.qos().value();
    }
}
