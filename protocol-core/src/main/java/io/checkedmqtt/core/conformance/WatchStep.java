package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.effect.Note;

import java.util.List;

/**
 * The result of one transition of the watch over a client: its next state, what it found (for
 * the trace and the report), and what it asks of the broker core, which alone can act on
 * sessions.
 *
 * @param watch          the watch after the input
 * @param notes          breaches, verdicts and summaries found, in order
 * @param cut            non-null: cut the client's connection now, with this text (a probe waited long enough)
 * @param queueProbeMessage a probe asks for one message to be queued for the client's offline session
 */
public record WatchStep(ClientWatch watch, List<Note> notes, String cut, boolean queueProbeMessage) {

    public WatchStep {
        notes = List.copyOf(notes);
    }

    /** Whether a breach or a verdict was found (the report changed). */
    public boolean reportChanged() {
        for (Note n : notes) {
            if (n instanceof Note.Breach || n instanceof Note.Verdict) {
                return true;
            }
        }
        return false;
    }
}
