package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Publish;

/**
 * Writes down a decision about a message that no packet shows (queued, dropped, expired, too
 * large), as an {@link Effect.Noted}, for the sessions the configuration watches. For a client
 * nobody watches it costs one check, and nothing at all when nobody is watched.
 */
final class Decisions {

    private final WatchConfig watch;

    Decisions(WatchConfig watch) {
        this.watch = watch;
    }

    WatchConfig watch() {
        return watch;
    }

    /** Whether decisions about this session's messages are written down. */
    boolean watches(Session s) {
        return watch.watches(s.clientId());
    }

    void note(Session s, SessionStepBuilder out, Note.DecisionKind kind, Publish message, String reason) {
        if (watches(s)) {
            out.effect(new Effect.Noted(s.clientId(), s.isOnline() ? s.link().connection() : null,
                    new Note.Decision(kind, message, reason)));
        }
    }

    /** A message not sent because the client would not take a packet that large. */
    void tooLarge(Session s, SessionStepBuilder out, Publish message) {
        if (!watches(s)) {
            return;
        }
        note(s, out, Note.DecisionKind.TOO_LARGE, message, "larger than the client's Maximum Packet Size "
                + s.link().maximumPacketSize() + ": not sent, counted as delivered [v5 MQTT-3.1.2-24]");
    }
}
