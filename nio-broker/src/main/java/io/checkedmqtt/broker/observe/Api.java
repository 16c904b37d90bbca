package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.http.HttpRequest;
import io.checkedmqtt.broker.http.HttpResponse;
import io.checkedmqtt.broker.http.Json;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.broker.BrokerView;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP endpoints of the broker: the JSON API under {@code /api/v1/}, {@code /metrics}, and
 * the dashboard's files. Everything is read from the core's state of the moment the request
 * arrived ({@link BrokerView}); the two actions (disconnect a client, delete a retained message)
 * are inputs to the core, like a packet. The endpoints are documented in nio-broker/README.md.
 */
public final class Api {

    /** The methods of RFC 9110 section 9; any other is not implemented here (501). */
    private static final java.util.Set<String> KNOWN_METHODS = java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
            "CONNECT", "OPTIONS", "TRACE", "PATCH");

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 100_000;

    private final BrokerAccess access;
    private final Metrics metrics;
    private final Dashboard dashboard = new Dashboard();

    public Api(BrokerAccess access) {
        this.access = access;
        this.metrics = new Metrics(access);
    }

    /** The answer to {@code request}; a HEAD request is answered as its GET (the connection leaves the body out). */
    public HttpResponse handle(HttpRequest request) {
        if (!KNOWN_METHODS.contains(request.method())) {
            return HttpResponse.error(501, "the method " + printable(request.method()) + " is not implemented");
        }
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        List<String> path = request.segments();
        if (path.size() >= 2 && path.get(0).equals("api") && path.get(1).equals("v1")) {
            return api(method, request, path.subList(2, path.size()));
        }
        if (request.path().equals("/metrics")) {
            return method.equals("GET") ? metrics.page() : notAllowed(method, "GET");
        }
        HttpResponse file = dashboard.file(request.path());
        if (file != null) {
            return method.equals("GET") ? file : notAllowed(method, "GET");
        }
        return HttpResponse.error(404, "nothing at " + request.path() + "; the API is under /api/v1/, the dashboard at /");
    }

    private HttpResponse api(String method, HttpRequest request, List<String> path) {
        String first = path.isEmpty() ? "" : path.get(0);
        try {
            if (path.size() == 1 && first.equals("summary")) {
                return method.equals("GET") ? summary() : notAllowed(method, "GET");
            }
            if (path.size() == 1 && first.equals("clients")) {
                return method.equals("GET") ? clients(request) : notAllowed(method, "GET");
            }
            if (path.size() == 2 && first.equals("clients")) {
                return method.equals("GET") ? client(path.get(1)) : notAllowed(method, "GET");
            }
            if (path.size() == 3 && first.equals("clients") && path.get(2).equals("disconnect")) {
                return method.equals("POST") ? disconnect(path.get(1)) : notAllowed(method, "POST");
            }
            if (path.size() == 1 && first.equals("retained")) {
                return switch (method) {
                    case "GET" -> retained(request);
                    case "DELETE" -> deleteRetained(request);
                    default -> notAllowed(method, "GET, DELETE");
                };
            }
            if (path.size() == 1 && first.equals("topics")) {
                return method.equals("GET") ? topics(request) : notAllowed(method, "GET");
            }
        } catch (BadParameter e) {
            return HttpResponse.error(400, e.getMessage());
        }
        return HttpResponse.error(404, "no endpoint /api/v1/" + String.join("/", path)
                + "; there are summary, clients, clients/{id}, clients/{id}/disconnect, retained, topics");
    }

    private static HttpResponse notAllowed(String method, String allowed) {
        return HttpResponse.error(405, method + " is not served here; use " + allowed).header("Allow", allowed);
    }

    private HttpResponse summary() {
        BrokerState state = access.state();
        BrokerView.Totals totals = BrokerView.totals(state);
        ShellCounters counters = access.counters();
        Traffic traffic = access.traffic();
        Json json = new Json().object()
                .field("version", Version.NUMBER)
                .field("startedAt", Times.iso(access.epochMillis(access.startedAt())))
                .field("uptimeSeconds", (access.now() - access.startedAt()) / 1000);
        json.name("listeners").array();
        for (BrokerAccess.Endpoint endpoint : access.listeners()) {
            json.object().field("name", endpoint.name()).field("address", endpoint.address())
                    .field("port", endpoint.port()).end();
        }
        json.end();
        json.name("clients").object().field("connected", totals.connectedClients())
                .field("sessions", totals.sessions())
                .field("offline", totals.sessions() - totals.connectedClients())
                .field("maximum", traffic.maximumConnected()).end();
        json.name("connections").object().field("open", counters.connectionsOpen())
                .field("accepted", counters.connectionsAccepted()).field("refused", counters.connectionsRefused()).end();
        json.field("subscriptions", totals.subscriptions()).field("retained", totals.retained())
                .field("inflight", totals.inflight()).field("queued", totals.queued())
                .field("queuedBytes", totals.queuedBytes());
        json.name("messages").object();
        json.name("received").object().field("total", traffic.messagesIn());
        for (int qos = 0; qos < 3; qos++) {
            json.field("qos" + qos, traffic.messagesIn(qos));
        }
        json.end().name("sent").object().field("total", traffic.messagesOut());
        for (int qos = 0; qos < 3; qos++) {
            json.field("qos" + qos, traffic.messagesOut(qos));
        }
        json.end().end();
        json.name("bytes").object().field("received", traffic.bytesIn()).field("sent", traffic.bytesOut()).end();
        json.name("packets").object().field("received", counters.packetsIn()).field("sent", counters.packetsOut()).end();
        json.name("dropped").object().field("queueFull", traffic.droppedQueueFull())
                .field("outboundFull", counters.droppedQos0()).field("connectionClosed", counters.droppedToClosed()).end();
        json.field("malformedPackets", counters.malformedInputs()).field("internalErrors", counters.internalErrors());
        return HttpResponse.json(200, json.end().toString());
    }

    /**
     * The clients table: the identifiers of one state, sorted (and searched), and the rows of the
     * page made as the client reads them, from that same state; only the shell's facts of a
     * connection (address, bytes) are read when the row is written.
     */
    private HttpResponse clients(HttpRequest request) throws BadParameter {
        BrokerState state = access.state();
        String search = request.parameter("search");
        List<String> ids = BrokerView.clientIds(state);
        if (search != null && !search.isEmpty()) {
            List<String> found = new ArrayList<>();
            for (String id : ids) {
                if (containsIgnoringCase(id, search) || addressContains(state, id, search)) {
                    found.add(id);
                }
            }
            ids = found;
        }
        ClientRows writer = new ClientRows(access);
        return HttpResponse.streamed(200, HttpResponse.JSON, new Listing<>(ids, offset(request), limit(request),
                "clients", (json, id) -> writer.row(json, row(BrokerView.clientRow(state, id)))));
    }

    private ClientRows.Row row(BrokerView.Client client) {
        return new ClientRows.Row(client, client.connected() ? access.connection(client.connection()) : null);
    }

    private boolean addressContains(BrokerState state, String clientId, String search) {
        BrokerView.Client client = BrokerView.clientRow(state, clientId);
        BrokerAccess.ConnectionFacts facts = client.connected() ? access.connection(client.connection()) : null;
        return facts != null && facts.remoteAddress().contains(search);
    }

    private static boolean containsIgnoringCase(String text, String part) {
        for (int i = 0; i + part.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse client(String clientId) {
        BrokerView.ClientDetail detail = BrokerView.client(access.state(), clientId);
        if (detail == null) {
            return HttpResponse.error(404, "no session for client " + printable(clientId));
        }
        return HttpResponse.json(200, new ClientRows(access).detail(row(detail.client()), detail));
    }

    private HttpResponse disconnect(String clientId) {
        BrokerView.ClientDetail detail = BrokerView.client(access.state(), clientId);
        if (detail == null) {
            return HttpResponse.error(404, "no session for client " + printable(clientId));
        }
        if (!detail.client().connected()) {
            return HttpResponse.error(409, "client " + printable(clientId) + " is not connected");
        }
        access.disconnect(clientId);
        boolean gone = !access.state().isConnected(clientId);
        return HttpResponse.json(gone ? 200 : 500, new Json().object().field("clientId", clientId)
                .field("disconnected", gone).end().toString());
    }

    private HttpResponse retained(HttpRequest request) throws BadParameter {
        List<BrokerView.Message> messages;
        try {
            messages = BrokerView.retained(access.state(), request.parameter("filter"));
        } catch (IllegalArgumentException e) {
            throw new BadParameter("filter is not a valid topic filter: " + e.getMessage());
        }
        return HttpResponse.streamed(200, HttpResponse.JSON, new Listing<>(messages, offset(request), limit(request),
                "messages", (json, m) -> Payloads.message(json, m, access)));
    }

    private HttpResponse deleteRetained(HttpRequest request) throws BadParameter {
        String topic = request.parameter("topic");
        if (topic == null || topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new BadParameter("give the topic name of the retained message: ?topic=a/b (no wildcards)");
        }
        if (BrokerView.retainedOn(access.state(), topic) == null) {
            return HttpResponse.error(404, "no retained message on " + printable(topic));
        }
        access.deleteRetained(topic);
        boolean deleted = BrokerView.retainedOn(access.state(), topic) == null;
        return HttpResponse.json(deleted ? 200 : 500, new Json().object().field("topic", topic)
                .field("deleted", deleted).end().toString());
    }

    private HttpResponse topics(HttpRequest request) throws BadParameter {
        return HttpResponse.streamed(200, HttpResponse.JSON, new Listing<>(BrokerView.topics(access.state()),
                offset(request), limit(request), "topics",
                (json, t) -> json.object().field("filter", t.topicFilter()).field("subscribers", t.subscribers()).end()));
    }

    private static int offset(HttpRequest request) throws BadParameter {
        return number(request, "offset", 0, 0, Integer.MAX_VALUE);
    }

    private static int limit(HttpRequest request) throws BadParameter {
        return number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    private static int number(HttpRequest request, String name, int absent, int min, int max) throws BadParameter {
        String text = request.parameter(name);
        if (text == null) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new BadParameter(name + " must be a whole number in " + min + ".." + max + ", was " + printable(text));
    }

    private static String printable(String text) {
        return io.checkedmqtt.broker.http.RequestReader.printable(text);
    }

    /** A query parameter the endpoint cannot use: 400 with the message. */
    private static final class BadParameter extends Exception {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message, null, false, false);
        }
    }
}
