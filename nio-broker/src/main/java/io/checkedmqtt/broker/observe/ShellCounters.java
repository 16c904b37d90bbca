package io.checkedmqtt.broker.observe;

/**
 * The shell's own counters at one moment (the loop's {@code BrokerStats}).
 *
 * @param connectionsAccepted sockets accepted on the MQTT listeners since start, refused ones included
 * @param connectionsRefused  sockets closed at once because {@code max_sockets} was reached
 * @param connectionsOpen     MQTT sockets open now
 * @param packetsIn           MQTT packets decoded
 * @param packetsOut          MQTT packets queued for sending
 * @param malformedInputs     inputs the decoder refused
 * @param droppedQos0         QoS 0 messages not queued to a client whose outbound buffer was full
 * @param droppedToClosed     packets the core addressed to a connection that had gone
 * @param internalErrors      core steps that threw and packets that could not be encoded
 */
public record ShellCounters(long connectionsAccepted, long connectionsRefused, long connectionsOpen, long packetsIn,
                            long packetsOut, long malformedInputs, long droppedQos0, long droppedToClosed,
                            long internalErrors) {
}
