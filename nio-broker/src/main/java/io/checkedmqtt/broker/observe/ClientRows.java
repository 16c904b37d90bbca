package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.http.Json;
import io.checkedmqtt.core.broker.BrokerView;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Subscription;

import java.util.List;

/** A client as JSON: its row in the clients table, and its page (session, subscriptions, messages). */
final class ClientRows {

    /** Queued messages shown on a client's page; the count says how many there are. */
    static final int QUEUED_SHOWN = 100;

    /** The core's view of a session and, while it is connected, the shell's facts of its connection. */
    record Row(BrokerView.Client client, BrokerAccess.ConnectionFacts facts) {
    }

    private final BrokerAccess access;

    ClientRows(BrokerAccess access) {
        this.access = access;
    }

    void row(Json json, Row row) {
        json.object();
        fields(json, row);
        json.end();
    }

    private void fields(Json json, Row row) {
        BrokerView.Client c = row.client();
        BrokerAccess.ConnectionFacts facts = row.facts();
        json.field("id", c.clientId()).field("connected", c.connected())
                .field("address", facts == null ? null : facts.remoteAddress())
                .field("listener", facts == null ? null : facts.listener())
                .field("protocol", protocol(c.version()))
                .field("keepAlive", c.keepAliveSeconds())
                .field("sessionExpiry", c.expirySeconds())
                .field("connectedSince", facts == null ? null : Times.iso(access.epochMillis(facts.openedAtMillis())))
                .field("disconnectedAt", c.connected() ? null : Times.iso(access.epochMillis(c.disconnectedAtMillis())))
                .field("inflight", c.inflight()).field("queued", c.queued()).field("queuedBytes", c.queuedBytes())
                .field("dropped", c.dropped() + (facts == null ? 0 : facts.droppedQos0()))
                .field("bytesIn", facts == null ? 0 : facts.bytesIn())
                .field("bytesOut", facts == null ? 0 : facts.bytesOut())
                .field("subscriptions", c.subscriptions());
    }

    /** A client's page: its row's fields, then its subscriptions, in-flight and queued messages, and will topic. */
    String detail(Row row, BrokerView.ClientDetail detail) {
        Json json = new Json().object();
        fields(json, row);
        json.name("subscriptionList").array();
        for (Subscription s : detail.subscriptions()) {
            json.object().field("filter", s.topicFilter()).field("qos", s.options().maxQos().value())
                    .field("noLocal", s.options().noLocal()).field("retainAsPublished", s.options().retainAsPublished())
                    .field("retainHandling", s.options().retainHandling().value()).end();
        }
        json.end();
        messages(json, "inflightMessages", detail.inflight());
        messages(json, "queuedMessages", detail.queued().subList(0, Math.min(QUEUED_SHOWN, detail.queued().size())));
        json.field("willTopic", detail.willTopic());
        lastPackets(json, row.client().connected() ? access.lastPackets(row.client().connection()) : List.of());
        return json.end().toString();
    }

    private void lastPackets(Json json, List<PacketTrail.Entry> packets) {
        json.name("lastPackets").array();
        for (PacketTrail.Entry p : packets) {
            json.object().field("at", Times.iso(access.epochMillis(p.atMillis())))
                    .field("direction", p.outgoing() ? "out" : "in")
                    .field("type", p.type().name()).field("bytes", p.bytes());
            if (p.packetId() != 0) {
                json.field("packetId", p.packetId());
            }
            if (p.qos() >= 0) {
                json.field("qos", p.qos()).field("retain", p.retain());
            }
            if (p.reason() != null) {
                json.field("reasonCode", p.reason().value()).field("reason", p.reason().specName());
            }
            if (p.topic() != null) {
                json.field(switch (p.type()) {
                    case CONNECT -> "clientId";
                    case SUBSCRIBE, UNSUBSCRIBE -> "filter";
                    default -> "topic";
                }, p.topic());
            }
            json.end();
        }
        json.end();
    }

    private void messages(Json json, String name, List<BrokerView.Message> messages) {
        json.name(name).array();
        for (BrokerView.Message m : messages) {
            Payloads.message(json, m, access);
        }
        json.end();
    }

    static String protocol(ProtocolVersion version) {
        return switch (version) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
    }
}
