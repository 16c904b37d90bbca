package io.checkedmqtt.core.effect;

import io.checkedmqtt.core.packet.ProtocolVersion;

/**
 * The statements that bind a client which the broker can check from what crosses the wire, each
 * with its id in both versions (the numbering differs) and what breaking it looks like. A
 * {@link Note.Breach} names one of these, or {@link #PROTOCOL_VIOLATION} with the statement the
 * check that closed the connection named.
 */
public enum ClientRule {

    ID_IN_USE("MQTT-2.3.1-2", "MQTT-2.2.1-3",
            "a new packet took a packet identifier that was still in flight"),
    RESENT_WITHOUT_DUP("MQTT-3.3.1-1", "MQTT-3.3.1-1",
            "a PUBLISH was sent again with DUP 0"),
    RESENT_WITH_NEW_ID("MQTT-2.3.1-3", "MQTT-4.4.0-1",
            "a PUBLISH was sent again under another packet identifier"),
    RESENT_INSIDE_CONNECTION(null, "MQTT-4.4.0-1",
            "a PUBLISH was sent again on the same connection (5.0 resends only when a session resumes)"),
    NOT_RESENT_ON_RECONNECT("MQTT-4.4.0-1", "MQTT-4.4.0-1",
            "what the client had in flight was not sent again after its session resumed"),
    PUBLISH_AFTER_PUBREL("MQTT-4.3.3-1", "MQTT-4.3.3-6",
            "a QoS 2 PUBLISH was sent again after its PUBREL"),
    PUBREL_BEFORE_PUBREC("MQTT-4.3.3-1", "MQTT-4.3.3-3",
            "PUBREL for a QoS 2 PUBLISH whose PUBREC never reached the client"),
    PUBREL_UNKNOWN_ID("MQTT-2.3.1-6", "MQTT-2.2.1-5",
            "PUBREL with a packet identifier no QoS 2 PUBLISH of the client had"),
    ACK_UNKNOWN_ID("MQTT-2.3.1-6", "MQTT-2.2.1-5",
            "an acknowledgement with a packet identifier the broker sent no PUBLISH with"),
    PUBCOMP_UNKNOWN_ID("MQTT-4.3.3-2", "MQTT-4.3.3-11",
            "PUBCOMP with a packet identifier the broker sent no PUBREL with"),
    FORGOT_QOS2_FLOW(null, "MQTT-4.3.3-10",
            "PUBCOMP 0x92 for a QoS 2 message the client had PUBREC'd and not seen released: it forgot the identifier"
                    + " its session had to keep, so a resent PUBLISH would be handed on twice"),
    PUBREL_NOT_ANSWERED("MQTT-4.3.3-2", "MQTT-4.3.3-11",
            "the broker's PUBREL was not answered with PUBCOMP"),
    PUBACK_FOR_QOS2("MQTT-4.3.3-2", "MQTT-4.3.3-8",
            "PUBACK for a QoS 2 PUBLISH, which is answered with PUBREC"),
    PUBREC_FOR_QOS1("MQTT-4.3.2-2", "MQTT-4.3.2-4",
            "PUBREC for a QoS 1 PUBLISH, which is answered with PUBACK"),
    KEEP_ALIVE_EXCEEDED("MQTT-3.1.2-23", "MQTT-3.1.2-20",
            "more than Keep Alive passed between two packets from the client"),
    NOT_ACKNOWLEDGED("MQTT-4.5.0-2", "MQTT-4.5.0-2",
            "a PUBLISH the client received was not acknowledged"),
    PROTOCOL_VIOLATION(null, null,
            "the broker closed the connection for a protocol violation");

    private final String v311;
    private final String v5;
    private final String meaning;

    ClientRule(String v311, String v5, String meaning) {
        this.v311 = v311;
        this.v5 = v5;
        this.meaning = meaning;
    }

    /** The statement id in this version, or null when the version has no such statement. */
    public String statement(ProtocolVersion version) {
        return version.isV5() ? v5 : v311;
    }

    /** What breaking it looks like, in a few words. */
    public String meaning() {
        return meaning;
    }
}
