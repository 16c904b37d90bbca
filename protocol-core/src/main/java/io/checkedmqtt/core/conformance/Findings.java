package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.config.ProbeKind;
import io.checkedmqtt.core.effect.ClientRule;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.ProtocolVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what one transition of the watch finds, while it runs: breaches and verdicts (added
 * to the client's report as they come), and the requests for the broker core. Local to one call,
 * like the core's step builders.
 */
final class Findings {

    private final long now;
    private final ProtocolVersion version;
    private final ClientReport before;
    private final List<Note> notes = new ArrayList<>(2);
    /** At most one each: a cut the probe asks for, and a request to queue the probe message. */
    private final List<String> cuts = new ArrayList<>(0);
    private final List<Boolean> queueRequests = new ArrayList<>(0);

    Findings(ClientWatch w, long now) {
        this.now = now;
        this.version = w.version();
        this.before = w.report();
    }

    long now() {
        return now;
    }

    ProtocolVersion version() {
        return version;
    }

    /** A breach of {@code rule}, unless the version has no such statement: the breach, or null. */
    Note.Breach breach(ClientRule rule, String detail, String... packets) {
        String statement = rule.statement(version);
        if (statement == null && rule != ClientRule.PROTOCOL_VIOLATION) {
            return null;
        }
        return breachOf(rule, statement == null ? "" : statement, detail, packets);
    }

    /** A breach with the statement given (a close names it). */
    Note.Breach breachOf(ClientRule rule, String statement, String detail, String... packets) {
        Note.Breach b = new Note.Breach(version, statement, rule, detail, List.of(packets), now);
        add(b);
        return b;
    }

    void verdict(ProbeKind probe, Note.Outcome outcome, String statements, String detail) {
        add(new Note.Verdict(probe.label(), version, outcome, statements, detail, now));
    }

    void note(Note note) {
        notes.add(note);
    }

    private void add(Note finding) {
        notes.add(finding);
    }

    /** The report with what was found so far. */
    ClientReport report() {
        ClientReport report = before;
        for (Note n : notes) {
            if (n instanceof Note.Breach || n instanceof Note.Verdict) {
                report = report.with(n);
            }
        }
        return report;
    }

    void cut(String detail) {
        cuts.add(detail);
    }

    void queueProbeMessage() {
        queueRequests.add(Boolean.TRUE);
    }

    WatchStep step(ClientWatch next) {
        return new WatchStep(next.withReport(report()), notes, cuts.isEmpty() ? null : cuts.get(0),
                !queueRequests.isEmpty());
    }
}
