package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.config.FlowControl;
import io.checkedmqtt.core.config.MemoryBudget;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.DurableRecord;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.core.routing.Delivery;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.session.BrokerRequest;
import io.checkedmqtt.core.session.Link;
import io.checkedmqtt.core.session.PacketSizeLimit;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionStep;
import io.checkedmqtt.core.session.SessionTransitions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Step} of one broker transition: it collects the effects for the shell, in
 * order, and applies the {@link SessionStep}s the transition makes, carrying out their
 * {@link BrokerRequest}s (routing, wills, session ends), which only the broker core can. It lives
 * inside one call of {@link BrokerCore} and is never shared, so the call stays a pure function.
 * The broker state is threaded through its methods: each takes a state and returns the next.
 * The session side's counterpart is {@code SessionStepBuilder}.
 */
final class StepBuilder {

    private final SessionTransitions sessions;
    private final long now;
    /** The state the step started from when persistence is on; null when it is off. */
    private final BrokerState durableFrom;
    private final List<Effect> effects = new ArrayList<>(4);
    /** Null when nobody is watched: then none of the watching below happens. */
    private final Watching watching;
    /**
     * Watched clients this step touched, with their watch deadline before it. Like the list below,
     * an empty immutable one when nobody is watched: a connect makes several steps, and what they
     * allocate is what a fresh broker's heap grows by while thousands of clients connect.
     */
    private final Map<String, Long> watchDeadlines;
    /** Watched clients whose conformance report this step changed. */
    private final List<String> reportsChanged;
    /**
     * The 5.0 Maximum Packet Size of clients this step sends to, by connection, for those that set
     * one (most do not, and then it stays empty: a HashMap allocates its table on the first put).
     */
    private final Map<ConnectionId, Long> packetLimits = new HashMap<>();

    StepBuilder(SessionTransitions sessions, long now) {
        this(sessions, now, null, null);
    }

    /**
     * @param watching    the watch over the clients under test; null when nobody is watched
     * @param durableFrom the state the step starts from, when the step is to begin with the
     *                    {@link Effect.Persist} of what it changed; null for a core without persistence
     */
    StepBuilder(SessionTransitions sessions, long now, Watching watching, BrokerState durableFrom) {
        this.sessions = sessions;
        this.now = now;
        this.watching = watching;
        this.durableFrom = durableFrom;
        this.watchDeadlines = watching == null ? Map.of() : new LinkedHashMap<>();
        this.reportsChanged = watching == null ? List.of() : new ArrayList<>(2);
    }

    void effect(Effect e) {
        effects.add(e);
    }

    long now() {
        return now;
    }

    /** The watch over the clients under test, or null when nobody is watched. */
    Watching watching() {
        return watching;
    }

    /** A watched client's watch changed in this step; {@code deadline}: what it was before. */
    void touched(String clientId, long deadline, boolean reportChanged) {
        watchDeadlines.putIfAbsent(clientId, deadline);
        if (reportChanged && !reportsChanged.contains(clientId)) {
            reportsChanged.add(clientId);
        }
    }

    /** Timers and report publications for the watched clients this step touched. */
    BrokerState flushWatch(BrokerState state) {
        if (watchDeadlines.isEmpty()) {
            return state;
        }
        Map<String, Long> deadlines = new LinkedHashMap<>(watchDeadlines);
        List<String> reports = new ArrayList<>(reportsChanged);
        watchDeadlines.clear();
        reportsChanged.clear();
        return watching.finish(this, state, deadlines, reports);
    }

    /**
     * The 5.0 client on {@code connection} accepts packets of at most {@code maximum} bytes
     * ({@link Link#NO_MAXIMUM_PACKET_SIZE}: any); what this step sends it is held to that.
     */
    void limitPacketSize(ConnectionId connection, long maximum) {
        if (maximum != Link.NO_MAXIMUM_PACKET_SIZE) {
            packetLimits.put(connection, maximum);
        }
    }

    void limitPacketSize(Session s) {
        if (s != null && s.link() != null && s.version().isV5()) {
            limitPacketSize(s.link().connection(), s.link().maximumPacketSize());
        }
    }

    /**
     * The step to {@code state}. With persistence on, the records of what the step changed come
     * first, as one {@link Effect.Persist}: everything the step sends depends on them.
     */
    Step step(BrokerState state) {
        if (!packetLimits.isEmpty()) {
            fitToPacketLimits();
        }
        BrokerState next = watching == null ? state : watching.observe(this, state, effects, now);
        if (durableFrom != null && durableFrom != next) {
            List<DurableRecord> records = DurableChanges.between(durableFrom, next);
            if (!records.isEmpty()) {
                effects.add(0, new Effect.Persist(records));
            }
        }
        return new Step(next, effects);
    }

    /**
     * Every packet but PUBLISH (which {@code Outbound} sizes as it delivers) fitted to the Maximum
     * Packet Size of the client it goes to, here in one place ({@link PacketSizeLimit}): trimmed of
     * its Reason String and User Properties, or discarded when even that is too large.
     */
    private void fitToPacketLimits() {
        for (int i = effects.size() - 1; i >= 0; i--) {
            if (effects.get(i) instanceof Effect.Send send && !(send.packet() instanceof Publish)) {
                Long maximum = packetLimits.get(send.connection());
                if (maximum != null) {
                    Packet fitted = PacketSizeLimit.fitted(send.packet(), ProtocolVersion.MQTT_5, maximum);
                    if (fitted == null) {
                        effects.remove(i);
                    } else if (fitted != send.packet()) {
                        effects.set(i, new Effect.Send(send.connection(), fitted));
                    }
                }
            }
        }
    }

    /**
     * Store the session a step produced, pass its effects on, forget the connection it left, and
     * carry out its requests in order.
     *
     * @param before the session the step started from (null for a brand-new one)
     * @return the broker state after all of it
     */
    BrokerState apply(BrokerState state, String clientId, Session before, SessionStep step) {
        Session after = step.session();
        limitPacketSize(before);
        limitPacketSize(after);
        BrokerState next = state.withSession(clientId, before, after);
        if (before != null && before.isOnline() && (after == null || after.link() == null
                || !after.link().connection().equals(before.link().connection()))) {
            next = next.withoutConnection(before.link().connection());
        }
        effects.addAll(step.effects());
        long dropped = after == null ? 0 : after.droppedMessages() - (before == null ? 0 : before.droppedMessages());
        if (dropped > 0) {
            effects.add(new Effect.MessagesDropped(clientId, dropped));
        }
        List<BrokerRequest> requests = step.requests();
        for (int i = 0; i < requests.size(); i++) {   // by index: no iterator per delivery of a fan-out
            BrokerRequest request = requests.get(i);
            if (request instanceof BrokerRequest.RouteMessage r) {
                next = mayWrite(next, r.publisherClientId(), r.publish().topic()) ? routeAndAcknowledge(next, r)
                        : refuse(next, r);
            } else if (request instanceof BrokerRequest.PublishWill w) {
                // A will is checked when it is published, against the rules in force then, as
                // the client it belongs to (who may be gone from the state already)
                if (mayWrite(state, w.clientId(), w.will().topic())) {
                    next = route(next, willMessage(w.will()), w.clientId());
                } else {
                    ConnectionId on = before != null && before.isOnline() ? before.link().connection() : null;
                    effects.add(new Effect.Notice(on, "will of " + w.clientId() + " to " + w.will().topic()
                            + " not published: the ACL does not let it write there"));
                    decide(next, w.clientId(), Note.DecisionKind.REFUSED_BY_ACL, willMessage(w.will()),
                            "the will is not published: the ACL does not let the client write to its topic");
                }
            } else if (request instanceof BrokerRequest.DiscardSession d) {
                if (before != null && !before.subscriptions().isEmpty()) {
                    next = next.withRouter(next.router().removeClient(d.clientId(), before.subscriptions().keySet()));
                }
            }
        }
        return PublisherFlow.afterStep(flowControl(), next, clientId, now, effects);
    }

    private FlowControl flowControl() {
        return sessions.config().limits().flowControl();
    }

    /**
     * A message a client published: route it, then acknowledge it once, with the reason code
     * routing decided (5.0: 0x10 when nobody subscribed), then start the QoS 1 and 2 deliveries.
     * QoS 0 copies are part of routing: they go out at once and need nothing more. The QoS 1 and
     * 2 copies start handshakes of their own, which begin once the server has taken the message
     * over with its answer. This is the order of {@code ServerReceivesPublish} (QoS 0 copies, then
     * the answer) and {@code ServerSendsPublish} in {@code tla/Mqtt.tla}; it is visible on
     * the wire when the publisher subscribed to what it published.
     */
    private BrokerState routeAndAcknowledge(BrokerState state, BrokerRequest.RouteMessage r) {
        boolean storeRetained = retainedFits(state, r.publish());
        if (!storeRetained && r.version().isV5() && r.publish().qos() != QoS.AT_MOST_ONCE) {
            // The store of retained messages is full: the publisher is told with 0x97 Quota exceeded
            // and the message goes nowhere. Without a reason code to carry that (3.1.1, QoS 0), it is
            // routed and not retained.
            effects.add(new Effect.Notice(r.publisherConnection(), "retained PUBLISH to " + r.publish().topic()
                    + " refused: the budget of retained messages is reached"));
            return refuseV5(state.withDroppedForBudget(), r, ReasonCode.QUOTA_EXCEEDED);
        }
        Router.RouteResult result = state.router().route(r.publish(), r.publisherClientId(), now, state::isConnected,
                storeRetained);
        if (watching != null) {
            noteRouting(state, r, result.deliveries());
        }
        BrokerState next = state.withRouter(result.router());
        if (!storeRetained) {
            next = next.withDroppedForBudget();
        }
        for (Delivery d : result.deliveries()) {
            if (d.publish().qos() == QoS.AT_MOST_ONCE) {
                next = deliver(next, d);
            }
        }
        Effect ack = r.acknowledgement(!result.deliveries().isEmpty());
        if (ack != null) {
            effects.add(ack);
        }
        for (Delivery d : result.deliveries()) {
            if (d.publish().qos() != QoS.AT_MOST_ONCE) {
                next = PublisherFlow.afterDelivery(flowControl(), deliver(next, d), r.publisherConnection(),
                        d.clientId(), effects);
            }
        }
        return next;
    }

    /** Whether a message the store would keep (RETAIN 1, a payload) fits the budget of retained messages. */
    private boolean retainedFits(BrokerState state, Publish publish) {
        MemoryBudget budget = sessions.config().budget();
        return !publish.retain()
                || state.router().retained().fits(publish, budget.maxRetainedMessages(), budget.maxRetainedBytes());
    }

    private boolean mayWrite(BrokerState state, String clientId, String topic) {
        Authorizer authorizer = sessions.config().authorizer();
        return !authorizer.checksTopics() || authorizer.mayWrite(state.identity(clientId), topic);
    }

    /**
     * A PUBLISH the ACL does not let its client write: not routed. 5.0 answers PUBACK / PUBREC
     * 0x87 Not authorized, which ends a QoS 2 flow, so its identifier is free again. 3.1.1 has no
     * way to say no: the message is acknowledged as usual and dropped [v3.1.1 MQTT-3.3.5-2], as
     * Mosquitto does; a QoS 2 flow then continues with PUBREL / PUBCOMP.
     */
    private BrokerState refuse(BrokerState state, BrokerRequest.RouteMessage r) {
        effects.add(new Effect.Notice(r.publisherConnection(), "PUBLISH to " + r.publish().topic()
                + " refused: the ACL does not let " + r.publisherClientId() + " write there"));
        decide(state, r.publisherClientId(), Note.DecisionKind.REFUSED_BY_ACL, r.publish(),
                "the ACL does not let the client write to this topic: not routed");
        if (!r.version().isV5()) {
            Effect ack = r.acknowledgement(true);
            if (ack != null) {
                effects.add(ack);
            }
            return state;
        }
        return refuseV5(state, r, ReasonCode.NOT_AUTHORIZED);
    }

    /**
     * A 5.0 PUBLISH the server does not take, and does not route: PUBACK / PUBREC with
     * {@code code}, which ends a QoS 2 flow, so its identifier is free again [v5 MQTT-4.3.3-9 on
     * the receiver's side]; QoS 0 has no answer and is dropped.
     */
    private BrokerState refuseV5(BrokerState state, BrokerRequest.RouteMessage r, ReasonCode code) {
        Effect answer = r.refusal(code);
        if (answer != null) {
            effects.add(answer);
        }
        int id = r.publish().packetId();
        Session s = state.session(r.publisherClientId());
        if (r.publish().qos() == QoS.EXACTLY_ONCE && s != null && s.awaitingPubRel().contains(id)) {
            return state.withSession(r.publisherClientId(), s, s.withAwaitingPubRel(s.awaitingPubRel().remove(id)));
        }
        return state;
    }

    /**
     * Hand a message to the router and every delivery to its session [MQTT-4.5.0-1] (a will, a
     * message of the broker's own, a watched client's report).
     */
    BrokerState route(BrokerState state, Publish publish, String publisherClientId) {
        boolean storeRetained = retainedFits(state, publish);   // a will has nobody to refuse it to
        Router.RouteResult result = state.router().route(publish, publisherClientId, now, state::isConnected,
                storeRetained);
        BrokerState next = state.withRouter(result.router());
        return deliverAll(storeRetained ? next : next.withDroppedForBudget(), result.deliveries());
    }

    private BrokerState deliverAll(BrokerState state, List<Delivery> deliveries) {
        BrokerState next = state;
        for (Delivery d : deliveries) {
            next = deliver(next, d);
        }
        return next;
    }

    BrokerState deliver(BrokerState state, Delivery d) {
        Session target = state.session(d.clientId());
        if (target == null) {
            return state;
        }
        Authorizer authorizer = sessions.config().authorizer();
        if (authorizer.checksTopics() && !authorizer.mayRead(state.identity(d.clientId()), d.publish().topic())) {
            decide(state, d.clientId(), Note.DecisionKind.REFUSED_BY_ACL, d.publish(),
                    "the ACL does not let the client read this topic: not delivered");
            return state; // not allowed to read: neither delivered nor sent as a retained message
        }
        if (heldBy(target, d.publish()) && !QueueBudget.admits(sessions.config().budget(), state, target, d.publish())) {
            // Dropped for this session and counted, as session state may be dropped in response to
            // resource constraints (v5 section 4.1, non-normative comment); see QueueBudget.
            return state.withSession(d.clientId(), target, target.withDropped(target.droppedMessages() + 1))
                    .withDroppedForBudget();
        }
        return apply(state, d.clientId(), target, sessions.onDeliver(target, d, now));
    }

    /** Whether the session keeps the message once delivered: QoS 1 and 2 in flight or queued, QoS 0 queued offline. */
    private boolean heldBy(Session target, Publish message) {
        return message.qos() != QoS.AT_MOST_ONCE || (!target.isOnline() && sessions.config().queueQos0WhileOffline());
    }

    /**
     * For watched clients: where a message their client published went, and which subscribers got
     * it at a lower QoS than it was published with.
     */
    private void noteRouting(BrokerState state, BrokerRequest.RouteMessage r, List<Delivery> deliveries) {
        Publish published = r.publish();
        int n = deliveries.size();
        decide(state, r.publisherClientId(), Note.DecisionKind.ROUTED, published,
                n == 0 ? "no subscription matches" : "to " + n + (n == 1 ? " subscription" : " subscriptions"));
        for (Delivery d : deliveries) {
            if (d.publish().qos().value() < published.qos().value()) {
                decide(state, d.clientId(), Note.DecisionKind.DOWNGRADED, d.publish(), "published at QoS "
                        + published.qos().value() + ", delivered at QoS " + d.publish().qos().value()
                        + ": the most the subscription (or max_qos) grants [MQTT-3.8.4-8 in 5.0, MQTT-3.8.4-6 in 3.1.1]");
            }
        }
    }

    /** Notes a decision about a message for a watched client (nothing for the others). */
    private void decide(BrokerState state, String clientId, Note.DecisionKind kind, Publish message, String reason) {
        if (watching != null && watching.config().watches(clientId)) {
            Session s = state.session(clientId);
            effects.add(new Effect.Noted(clientId, s != null && s.isOnline() ? s.link().connection() : null,
                    new Note.Decision(kind, message, reason)));
        }
    }

    /**
     * The Will Message as a PUBLISH from its client: its retain flag kept [v3.1.1 MQTT-3.1.2-16,
     * -17; v5 MQTT-3.1.2-14, -15], its properties in order [v5 MQTT-3.1.3-10] without the Will
     * Delay Interval, which is no PUBLISH property.
     */
    static Publish willMessage(Will will) {
        return new Publish(will.topic(), will.payload(), will.qos(), will.retain(), false, 0,
                will.properties().without(PropertyId.WILL_DELAY_INTERVAL));
    }
}
