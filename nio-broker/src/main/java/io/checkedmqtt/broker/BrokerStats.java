package io.checkedmqtt.broker;

/**
 * Counters the loop keeps, readable from any thread (single writer, volatile fields). Repeated
 * events such as dropped QoS 0 messages are counted here rather than logged one by one.
 */
public final class BrokerStats {

    volatile long connectionsAccepted;
    volatile long connectionsRefused;
    volatile int connectionsOpen;
    volatile long packetsIn;
    volatile long packetsOut;
    volatile long malformedInputs;
    volatile long droppedQos0;
    volatile long droppedToClosed;
    volatile long coreFailures;
    volatile long partialFrameBytes;
    volatile long outboundBytes;
    volatile long framesTimedOut;
    volatile long flowControlHolds;

    /** Connections accepted since start (including refused ones). */
    public long connectionsAccepted() {
        return connectionsAccepted;
    }

    /** Sockets closed at once because {@code max_sockets} was reached. */
    public long connectionsRefused() {
        return connectionsRefused;
    }

    public int connectionsOpen() {
        return connectionsOpen;
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    /** Inputs the decoder rejected (each ends its connection's input). */
    public long malformedInputs() {
        return malformedInputs;
    }

    /** QoS 0 PUBLISHes not queued because the client's outbound buffer was over its limit. */
    public long droppedQos0() {
        return droppedQos0;
    }

    /** Packets the core addressed to a connection that had already gone or was closing. */
    public long droppedToClosed() {
        return droppedToClosed;
    }

    /** Core transitions that threw; each closed the connection it concerned. */
    public long coreFailures() {
        return coreFailures;
    }

    /** Bytes held now for frames that have not fully arrived, all connections together. */
    public long partialFrameBytes() {
        return partialFrameBytes;
    }

    /** Bytes queued now towards sockets, all connections together (each connection's copy counted). */
    public long outboundBytes() {
        return outboundBytes;
    }

    /** Connections ended because a frame was not complete {@code frame_timeout_ms} after its first byte. */
    public long framesTimedOut() {
        return framesTimedOut;
    }

    /** Times publisher flow control stopped reading a publisher (see {@code flow_control_high_water}). */
    public long flowControlHolds() {
        return flowControlHolds;
    }

    @Override
    public String toString() {
        return "connections open=" + connectionsOpen + " accepted=" + connectionsAccepted + " refused="
                + connectionsRefused + ", packets in=" + packetsIn + " out=" + packetsOut + ", malformed="
                + malformedInputs + ", dropped qos0=" + droppedQos0 + " to-closed=" + droppedToClosed + ", core failures="
                + coreFailures + ", partial frame bytes=" + partialFrameBytes + ", outbound bytes=" + outboundBytes
                + ", frames timed out=" + framesTimedOut
                + ", flow control holds=" + flowControlHolds;
    }
}
