package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.routing.MessageExpiry;

import java.util.ArrayList;
import java.util.List;

/**
 * The server sending again what the client has not acknowledged: every in-flight message when a
 * kept session reconnects, those the client's Receive Maximum held back once slots free up, and
 * the 3.1.1 timed resend inside a connection. Package-private; {@link Outbound} and
 * {@link Lifecycle} call it.
 *
 * <p><b>Expired messages.</b> A QoS 1/2 message that was sent once has started onward delivery,
 * so its expiry does not delete it: [v5 MQTT-3.3.2-5] deletes only a copy whose delivery has not
 * started, and [v5 MQTT-4.4.0-1] makes the server resend it, with its original identifier, when
 * the client comes back. Dropping it would also break QoS 2: a client that stored the identifier
 * on its PUBREC waits for the PUBREL, and would take a new message under that identifier for a
 * duplicate. So it is resent, with a Message Expiry Interval of the seconds left, 0 once none are
 * ({@link MessageExpiry#forResend}): never the interval of its first send, which would be more
 * than is left [v5 MQTT-3.3.2-6]. The client learns it has expired and may discard it.
 */
final class Retransmission {

    private final BrokerConfig config;

    Retransmission(BrokerConfig config) {
        this.config = config;
    }

    /**
     * On reconnect of a kept session: every unacknowledged PUBLISH again with DUP 1 and its
     * original identifier, every PUBREL again, in the original order [v3.1.1 MQTT-4.4.0-1,
     * MQTT-3.3.1-1; v5 MQTT-4.4.0-1, MQTT-3.3.1-1, MQTT-4.6.0-1]. Resent PUBLISHes carry their full
     * Topic Name: the new connection has no aliases yet [v5 MQTT-3.3.2-7]. A PUBLISH that no
     * longer fits the Maximum Packet Size the client reconnected with is not resent and counts as
     * delivered, which frees its identifier [v5 MQTT-3.1.2-24, -25].
     *
     * <p>The new connection's send quota starts at the client's Receive Maximum (5.0 section 4.9),
     * which may be smaller than what is in flight: PUBLISHes beyond it are
     * {@linkplain InflightMessage#heldBack() held}, keeping their identifiers, and go out as
     * slots free ({@link #releaseHeld}) [v5 MQTT-3.3.4-9]. A PUBREL is never held (flow control
     * limits PUBLISH only [v5 MQTT-4.9.0-3]), but its flow still counts against the quota until
     * PUBCOMP, as every in-flight message does here.
     */
    Session resendAll(Session s, long now, SessionStepBuilder out) {
        if (s.inflight().isEmpty()) {
            return s;
        }
        List<InflightMessage> updated = new ArrayList<>(s.inflight().size());
        int active = 0;
        for (InflightMessage m : s.inflight()) {
            if (m.stage() == DeliveryStage.AWAITING_PUBCOMP) {
                out.effect(new Effect.Send(s.link().connection(), pubRelAgain(s, m)));
                updated.add(m.resent(now, false));
                active++;
                continue;
            }
            Publish again = publishAgain(s, m, now);
            if (!Outbound.fits(s, again)) {
                continue;
            }
            if (active >= s.link().sendLimit()) {
                updated.add(m.heldBack());
                continue;
            }
            out.effect(new Effect.Send(s.link().connection(), again));
            updated.add(m.resent(now, false));
            active++;
        }
        return schedule(s.withInflight(InflightWindow.of(updated)), now, out);
    }

    /** Held PUBLISHes go out, in order, while the client's Receive Maximum has room [v5 MQTT-3.3.4-9]. */
    Session releaseHeld(Session s, long now, SessionStepBuilder out) {
        InflightWindow window = s.inflight();
        for (int i = 0; i < window.size() && window.heldCount() > 0; i++) {
            if (window.activeCount() >= s.link().sendLimit()) {
                break;
            }
            InflightMessage m = window.get(i);
            if (!m.held()) {
                continue;
            }
            Publish again = publishAgain(s, m, now);
            if (Outbound.fits(s, again)) {
                out.effect(new Effect.Send(s.link().connection(), again));
                window = window.replace(m.resent(now, false));
            } else {
                window = window.without(m.packetId());   // too large now: as if delivered [v5 MQTT-3.1.2-25]
                i--;
            }
        }
        return schedule(s.withInflight(window), now, out);
    }

    /** The PUBLISH of an in-flight message as it goes out again: DUP 1, the expiry left now. */
    private static Publish publishAgain(Session s, InflightMessage m, long now) {
        Publish p = s.version().isV5() ? MessageExpiry.forResend(m.publish(), m.expiresAtMillis(), now) : m.publish();
        return p.asDuplicate();
    }

    /** MQTT 3.1 marks a retried PUBREL with DUP, as it marks a retried PUBLISH (3.1 section 3.6). */
    private static PubRel pubRelAgain(Session s, InflightMessage m) {
        return s.version() == ProtocolVersion.MQTT_3_1 ? PubRel.retry(m.packetId()) : new PubRel(m.packetId());
    }

    /** 3.1.1 with timed resend on: make sure a Resend deadline is pending while messages are in flight. */
    Session schedule(Session s, long now, SessionStepBuilder out) {
        if (!timedResendApplies(s) || s.resendAtMillis() != Session.NO_DEADLINE || s.inflight().isEmpty()) {
            return s;
        }
        long deadline = now + config.resendIntervalMillis();
        out.effect(new Effect.ScheduleTimer(new Timer.Resend(s.clientId()), deadline));
        return s.withResendAt(deadline);
    }

    private boolean timedResendApplies(Session s) {
        // 5.0 forbids resending except on reconnect [v5 MQTT-4.4.0-1]
        return !s.version().isV5() && config.resendIntervalMillis() > 0 && s.isOnline();
    }

    /**
     * 3.1.1 timed resend inside a connection: every message whose last send is at least one
     * interval old, and that has not used up its attempts, goes again (PUBLISH with DUP 1, or
     * PUBREL). A message out of attempts stays in flight until the client reconnects.
     */
    Session resendDue(Session s, long now, SessionStepBuilder out) {
        if (!timedResendApplies(s)) {
            return s.withResendAt(Session.NO_DEADLINE);
        }
        long interval = config.resendIntervalMillis();
        int max = config.resendMaxAttempts();
        List<InflightMessage> updated = new ArrayList<>(s.inflight().size());
        long next = Session.NO_DEADLINE;
        Link link = s.link();
        for (InflightMessage m : s.inflight()) {
            InflightMessage cur = m;
            if (!m.held() && m.resends() < max && m.sentAtMillis() + interval <= now) {
                Packet again = m.stage() == DeliveryStage.AWAITING_PUBCOMP ? pubRelAgain(s, m) : publishAgain(s, m, now);
                out.effect(new Effect.Send(link.connection(), again));
                cur = m.resent(now, true);
                // The client answers both copies: keep the id off new messages on this connection.
                link = link.withResent(m.packetId());
            }
            if (!cur.held() && cur.resends() < max) {
                next = Math.min(next, cur.sentAtMillis() + interval);
            }
            updated.add(cur);
        }
        if (next != Session.NO_DEADLINE) {
            out.effect(new Effect.ScheduleTimer(new Timer.Resend(s.clientId()), next));
        }
        return s.withInflight(InflightWindow.of(updated), link).withResendAt(next);
    }
}
