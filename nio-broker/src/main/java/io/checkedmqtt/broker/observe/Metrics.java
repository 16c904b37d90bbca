package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.http.HttpResponse;
import io.checkedmqtt.core.broker.BrokerView;

import java.nio.charset.StandardCharsets;

/**
 * {@code /metrics} in Prometheus' text exposition format (version 0.0.4): every family with its
 * HELP and TYPE lines, counters named {@code checkedmqtt_..._total}, labels for QoS and drop
 * reason, and the loop pass time as a histogram. The gauges over sessions are counted from the
 * core's state when the page is asked for.
 */
final class Metrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final BrokerAccess access;

    Metrics(BrokerAccess access) {
        this.access = access;
    }

    HttpResponse page() {
        return HttpResponse.of(200, CONTENT_TYPE, text().getBytes(StandardCharsets.UTF_8));
    }

    String text() {
        StringBuilder out = new StringBuilder(4096);
        BrokerView.Totals totals = BrokerView.totals(access.state());
        ShellCounters counters = access.counters();
        Traffic traffic = access.traffic();
        family(out, "build_info", "gauge", "The broker's version, as a label.");
        out.append("checkedmqtt_build_info{version=\"").append(escape(Version.NUMBER)).append("\"} 1\n");
        single(out, "uptime_seconds", "gauge", "Seconds since the broker started.",
                (access.now() - access.startedAt()) / 1000.0);
        single(out, "connections_accepted_total", "counter",
                "Sockets accepted on the MQTT listeners, refused ones included.", counters.connectionsAccepted());
        single(out, "connections_refused_total", "counter",
                "Sockets closed at once because max_sockets was reached.", counters.connectionsRefused());
        single(out, "connections_open", "gauge", "MQTT sockets open now.", counters.connectionsOpen());
        single(out, "clients_connected", "gauge", "Clients whose CONNECT was accepted and that are connected now.",
                totals.connectedClients());
        single(out, "clients_maximum", "gauge", "The most clients connected at once since start.",
                traffic.maximumConnected());
        single(out, "sessions", "gauge", "Sessions held, connected or not.", totals.sessions());
        single(out, "subscriptions", "gauge", "Subscriptions held (one per client and topic filter).",
                totals.subscriptions());
        single(out, "retained_messages", "gauge", "Retained messages held.", totals.retained());
        single(out, "inflight_messages", "gauge",
                "QoS 1 and 2 messages sent to clients and not yet acknowledged, all sessions.", totals.inflight());
        single(out, "queued_messages", "gauge", "Messages waiting in session queues, all sessions.", totals.queued());
        single(out, "queued_bytes", "gauge", "Payload bytes of the messages waiting in session queues.",
                totals.queuedBytes());
        byQos(out, "messages_received_total", "PUBLISH packets received from clients, by QoS.", true, false);
        byQos(out, "messages_sent_total", "PUBLISH packets sent to clients, by QoS.", false, false);
        byQos(out, "message_bytes_received_total", "Bytes of PUBLISH packets received, by QoS.", true, true);
        byQos(out, "message_bytes_sent_total", "Bytes of PUBLISH packets sent, by QoS.", false, true);
        single(out, "bytes_received_total", "counter", "MQTT bytes received (before TLS and WebSocket framing).",
                traffic.bytesIn());
        single(out, "bytes_sent_total", "counter", "MQTT bytes sent (before TLS and WebSocket framing).",
                traffic.bytesOut());
        single(out, "packets_received_total", "counter", "MQTT packets received, all types.", counters.packetsIn());
        single(out, "packets_sent_total", "counter", "MQTT packets sent, all types.", counters.packetsOut());
        family(out, "messages_dropped_total", "counter", "Messages not delivered, by reason: queue_full (a session's"
                + " queue was at max_queued_messages), outbound_full (QoS 0 to a client whose outbound buffer was at"
                + " max_outbound_bytes), connection_closed (to a connection that had gone).");
        sample(out, "messages_dropped_total{reason=\"queue_full\"}", traffic.droppedQueueFull());
        sample(out, "messages_dropped_total{reason=\"outbound_full\"}", counters.droppedQos0());
        sample(out, "messages_dropped_total{reason=\"connection_closed\"}", counters.droppedToClosed());
        single(out, "malformed_packets_total", "counter", "Inputs the decoder refused.", counters.malformedInputs());
        single(out, "internal_errors_total", "counter",
                "Core steps that failed and packets that could not be encoded (each a bug).", counters.internalErrors());
        histogram(out, access.loopTimes());
        return out.toString();
    }

    private void byQos(StringBuilder out, String name, String help, boolean in, boolean bytes) {
        Traffic traffic = access.traffic();
        family(out, name, "counter", help);
        for (int qos = 0; qos < 3; qos++) {
            long value = in ? (bytes ? traffic.messageBytesIn(qos) : traffic.messagesIn(qos))
                    : (bytes ? traffic.messageBytesOut(qos) : traffic.messagesOut(qos));
            sample(out, name + "{qos=\"" + qos + "\"}", value);
        }
    }

    private static void histogram(StringBuilder out, LoopTimes times) {
        String name = "loop_pass_seconds";
        family(out, name, "histogram",
                "Time the event loop spent per pass, from the end of its wait to the end of its writes.");
        long cumulative = 0;
        for (int i = 0; i < LoopTimes.BOUNDS.length; i++) {
            cumulative += times.inBucket(i);
            sample(out, name + "_bucket{le=\"" + LoopTimes.BOUNDS[i] + "\"}", cumulative);
        }
        cumulative += times.inBucket(LoopTimes.BOUNDS.length);
        sample(out, name + "_bucket{le=\"+Inf\"}", cumulative);
        out.append("checkedmqtt_").append(name).append("_sum ").append(times.sumNanos() / 1e9).append('\n');
        sample(out, name + "_count", times.count());
    }

    private static void single(StringBuilder out, String name, String type, String help, double value) {
        family(out, name, type, help);
        out.append("checkedmqtt_").append(name).append(' ').append(value).append('\n');
    }

    private static void single(StringBuilder out, String name, String type, String help, long value) {
        family(out, name, type, help);
        sample(out, name, value);
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP checkedmqtt_").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE checkedmqtt_").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String nameAndLabels, long value) {
        out.append("checkedmqtt_").append(nameAndLabels).append(' ').append(value).append('\n');
    }

    /** A label value: backslash, double quote and line feed escaped (exposition format 0.0.4). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
