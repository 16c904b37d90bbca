package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.PacketText;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conformance report of one client: every breach the watch found and every probe verdict,
 * oldest first, the first {@value #MAX_FINDINGS} kept in full and all of them counted by
 * statement and by verdict. Immutable; it lives in the broker state for as long as the broker
 * runs, across the client's connections and sessions.
 *
 * @param findings the breaches and verdicts kept in full
 * @param breaches how many breaches were found in all
 * @param counts   per statement ({@code v5 [MQTT-4.4.0-1]}) and per probe verdict
 *                 ({@code qos1-retry PASS}), how many
 */
public record ClientReport(List<Note> findings, long breaches, PersistentMap<String, Long> counts) {

    /** Findings kept in full; later ones are only counted. */
    public static final int MAX_FINDINGS = 100;

    public static final ClientReport EMPTY = new ClientReport(List.of(), 0, PersistentMap.empty());

    public ClientReport {
        findings = List.copyOf(findings);
    }

    /** This report with one more breach or verdict. */
    ClientReport with(Note finding) {
        List<Note> kept = findings;
        if (findings.size() < MAX_FINDINGS) {
            List<Note> more = new ArrayList<>(findings);
            more.add(finding);
            kept = more;
        }
        String key = key(finding);
        return new ClientReport(kept, breaches + (finding instanceof Note.Breach ? 1 : 0),
                counts.put(key, counts.getOrDefault(key, 0L) + 1));
    }

    private static String key(Note finding) {
        if (finding instanceof Note.Breach b) {
            return b.citation();
        }
        Note.Verdict v = (Note.Verdict) finding;
        return "probe." + v.probe() + " " + v.outcome();
    }

    /** The verdicts kept in full. */
    public List<Note.Verdict> verdicts() {
        List<Note.Verdict> verdicts = new ArrayList<>();
        for (Note n : findings) {
            if (n instanceof Note.Verdict v) {
                verdicts.add(v);
            }
        }
        return verdicts;
    }

    /** The breaches kept in full. */
    public List<Note.Breach> breachList() {
        List<Note.Breach> list = new ArrayList<>();
        for (Note n : findings) {
            if (n instanceof Note.Breach b) {
                list.add(b);
            }
        }
        return list;
    }

    public boolean isEmpty() {
        return findings.isEmpty();
    }

    /**
     * The report in one line: {@code 2 breaches (v5 [MQTT-4.4.0-1] x1, v5 [MQTT-3.3.1-1] x1);
     * probe.qos2-cut FAIL x1}, or {@code no breach}.
     */
    public String summary() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach(sorted::put);
        StringBuilder statements = new StringBuilder();
        StringBuilder probes = new StringBuilder();
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            StringBuilder into = e.getKey().startsWith("probe.") ? probes : statements;
            into.append(into.length() == 0 ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue());
        }
        String head = breaches == 0 ? "no breach" : breaches + (breaches == 1 ? " breach (" : " breaches (")
                + statements + ")";
        return probes.length() == 0 ? head : head + "; " + probes;
    }

    /**
     * The report as JSON, as the broker publishes it on {@code $SYS/broker/clients/<id>/conformance}:
     * {@code {"client":..,"breaches":N,"summary":..,"findings":[..]}}, each finding with its kind,
     * time (ISO-8601), version, statement(s), detail, and a breach's packets.
     */
    public String json(String clientId) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"client\":");
        string(b, clientId);
        b.append(",\"breaches\":").append(breaches).append(",\"summary\":");
        string(b, summary());
        b.append(",\"findings\":[");
        for (int i = 0; i < findings.size(); i++) {
            b.append(i == 0 ? "" : ",");
            finding(b, findings.get(i));
        }
        return b.append("]}").toString();
    }

    private static void finding(StringBuilder b, Note finding) {
        if (finding instanceof Note.Breach br) {
            b.append("{\"kind\":\"breach\",\"at\":\"").append(Instant.ofEpochMilli(br.atMillis()))
                    .append("\",\"version\":\"").append(PacketText.version(br.version())).append("\",\"statement\":");
            string(b, br.statement());
            b.append(",\"rule\":\"").append(br.rule()).append("\",\"detail\":");
            string(b, br.detail());
            b.append(",\"packets\":[");
            for (int i = 0; i < br.packets().size(); i++) {
                b.append(i == 0 ? "" : ",");
                string(b, br.packets().get(i));
            }
            b.append("]}");
        } else if (finding instanceof Note.Verdict v) {
            b.append("{\"kind\":\"verdict\",\"at\":\"").append(Instant.ofEpochMilli(v.atMillis()))
                    .append("\",\"probe\":");
            string(b, v.probe());
            b.append(",\"version\":\"").append(PacketText.version(v.version())).append("\",\"outcome\":\"")
                    .append(v.outcome()).append("\",\"statements\":");
            string(b, v.statements());
            b.append(",\"detail\":");
            string(b, v.detail());
            b.append('}');
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
