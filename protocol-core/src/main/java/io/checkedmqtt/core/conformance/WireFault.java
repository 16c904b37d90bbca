package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Publish;

/**
 * What the shell did to the bytes of a watched client's connection on purpose (a fault rule or
 * a probe), told to the core so that its view of the wire stays true: a packet the core sent
 * that the client did not get, a packet the client sent that the core never saw, a copy the core
 * never made. The core's sessions only learn what changes them ({@link Duplicated}); the watch
 * over the client learns all of it, so that it judges the client by what the client really saw.
 *
 * <p>Each carries the {@code cause} (the rule as written, or the probe's name) and, when a probe
 * acted, which one.
 */
public sealed interface WireFault {

    String cause();

    /** The probe that acted, or null for a fault rule. */
    ProbeKind probe();

    /**
     * A packet the core sent did not reach the client: dropped, or held back until a
     * {@link Released} (a delay holds back the packets behind it too, so order is kept).
     */
    record Withheld(Packet packet, boolean dropped, String cause, ProbeKind probe) implements WireFault {
    }

    /** A packet held back by a delay went out after all. */
    record Released(Packet packet, String cause, ProbeKind probe) implements WireFault {
    }

    /** A packet the client sent was dropped before the core saw it. */
    record Discarded(Packet packet, String cause, ProbeKind probe) implements WireFault {
    }

    /** A second copy of this in-flight PUBLISH, with DUP 1, went to the client right after the first. */
    record Duplicated(Publish copy, String cause, ProbeKind probe) implements WireFault {
    }

    /**
     * The connection is cut (closed without a word) right after this packet: written, when it is
     * one the core sent, or read and handed to the core, when the client sent it. The loss of
     * the connection follows as its own input.
     */
    record Cut(Packet after, boolean outbound, String cause, ProbeKind probe) implements WireFault {
    }

    /** The broker stops reading from the client until {@code untilMillis}. */
    record ReadPaused(long untilMillis, String cause, ProbeKind probe) implements WireFault {
    }
}
