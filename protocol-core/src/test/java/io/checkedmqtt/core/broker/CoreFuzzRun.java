package io.checkedmqtt.core.broker;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.core.session.Link;
import io.checkedmqtt.core.topic.TopicFilter;
import io.checkedmqtt.testkit.BrokerHarness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the whole-core fuzz target: the fuzzer's bytes choose a configuration and then a
 * sequence of inputs (connections opening and CONNECTing, any packet of any client, malformed
 * bytes, sockets lost, time passing with the timers it fires), which go to a {@link BrokerCore}
 * the way the shell feeds it: every packet as wire bytes through the decoder. After every step
 * {@link CoreInvariants} must hold, and nothing may escape the core.
 */
final class CoreFuzzRun {

    private static final String[] CLIENTS = {"a", "b", "c", ""};
    private static final String[] FILTERS = {"t/a", "t/+", "t/#", "#", "+/b", "$share/g/t/#", "$SYS/#", "a/b/c/d",
        "t/a/#", "$share/h/+/b"};
    private static final String[] TOPICS = {"t/a", "t/b", "x", "$SYS/x", "a/b/c/d", "t/a/b"};
    private static final int MAX_STEPS = 300;

    private final FuzzedDataProvider data;
    private final BrokerHarness h;
    private final int maxTopicLevels;
    private final List<ConnectionId> open = new ArrayList<>();
    private final Map<ConnectionId, ProtocolVersion> versions = new HashMap<>();
    private final Map<ConnectionId, Long> maximumPacketSizes = new HashMap<>();
    private final Map<ConnectionId, List<Packet>> unread = new HashMap<>();
    private int messages;

    CoreFuzzRun(FuzzedDataProvider data) {
        this.data = data;
        this.maxTopicLevels = data.pickValue(new int[] {0, 3});
        BrokerConfig config = BrokerConfig.builder()
                .receiveMaximum(data.consumeInt(1, 4))
                .maxInflightMessages(data.consumeInt(1, 4))
                .maxQueuedMessages(data.consumeInt(0, 6))
                .resendIntervalMillis(data.pickValue(new long[] {0, 1_000}))
                .topicAliasMaximum(data.consumeInt(0, 2))
                .outboundTopicAliasMaximum(data.consumeInt(0, 2))
                .maxKeepAliveSeconds(data.pickValue(new int[] {0, 3}))
                .maxTopicLevels(maxTopicLevels)
                .connectTimeoutMillis(2_000)
                .build();
        this.h = new BrokerHarness(config);
    }

    void run() {
        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
            int action = data.consumeInt(0, 12);
            if (action == 0 || open.isEmpty()) {
                connect();
            } else if (action == 12) {
                advance(data.consumeInt(0, 3_000));
            } else {
                ConnectionId c = data.pickValue(open);
                switch (action) {
                    case 1, 2 -> publish(c);
                    case 3 -> subscribe(c);
                    case 4 -> send(c, new Unsubscribe(id(), List.of(data.pickValue(FILTERS)), Properties.EMPTY));
                    case 5, 6 -> answer(c);
                    case 7 -> send(c, acknowledgement(data.consumeInt(0, 3), data.consumeInt(1, 6)));
                    case 8 -> send(c, PingReq.INSTANCE);
                    case 9 -> disconnect(c);
                    case 10 -> lose(c);
                    default -> raw(c, data.consumeBytes(data.consumeInt(0, 24)));
                }
            }
        }
        h.shutdown();
        CoreInvariants.sessionsAreSound(h.state());
    }

    // ---- inputs ----

    private void connect() {
        ConnectionId c = h.open();
        open.add(c);
        unread.put(c, new ArrayList<>());
        ProtocolVersion v = data.pickValue(ProtocolVersion.values());
        Properties props = Properties.EMPTY;
        if (v.isV5()) {
            props = maybe(props, PropertyId.SESSION_EXPIRY_INTERVAL, new long[] {0, 5, 600, 0xFFFF_FFFFL});
            props = maybe(props, PropertyId.RECEIVE_MAXIMUM, new long[] {1, 2, 3});
            props = maybe(props, PropertyId.MAXIMUM_PACKET_SIZE, new long[] {15, 40, 200});
            props = maybe(props, PropertyId.TOPIC_ALIAS_MAXIMUM, new long[] {1, 2});
            maximumPacketSizes.put(c, props.integer(PropertyId.MAXIMUM_PACKET_SIZE, Link.NO_MAXIMUM_PACKET_SIZE));
        }
        Will will = null;
        if (data.consumeBoolean()) {
            Properties willProps = v.isV5() && data.consumeBoolean() ? Properties.of(
                    new Property.IntegerProperty(PropertyId.WILL_DELAY_INTERVAL, data.consumeInt(1, 3))) : Properties.EMPTY;
            will = new Will(data.pickValue(TOPICS), payload("w"), qos(), data.consumeBoolean(), willProps);
        }
        String clientId = data.pickValue(CLIENTS);
        send(c, new Connect(v, clientId, clientId.isEmpty() || data.consumeBoolean(),
                data.pickValue(new int[] {0, 1, 2, 5}), null, null, will, props));
    }

    private void publish(ConnectionId c) {
        QoS qos = qos();
        Properties props = Properties.EMPTY;
        if (versions.get(c) == ProtocolVersion.MQTT_5) {
            props = maybe(props, PropertyId.MESSAGE_EXPIRY_INTERVAL, new long[] {0, 1, 5});
            props = maybe(props, PropertyId.TOPIC_ALIAS, new long[] {1, 2, 3});
            props = maybe(props, PropertyId.PAYLOAD_FORMAT_INDICATOR, new long[] {1});
        }
        String topic = data.consumeBoolean() && props.contains(PropertyId.TOPIC_ALIAS) ? "" : data.pickValue(TOPICS);
        Publish p = new Publish(topic, payload("m"), qos, data.consumeBoolean(),
                qos != QoS.AT_MOST_ONCE && data.consumeBoolean(), qos == QoS.AT_MOST_ONCE ? 0 : data.consumeInt(1, 6),
                props);
        BrokerState before = h.state();
        int from = h.allEffects().size();
        String publisher = before.clientOn(c);
        Packet fed = send(c, p);
        if (publisher != null && fed instanceof Publish in && !in.topic().isEmpty()) {
            List<Effect> effects = h.allEffects().subList(from, h.allEffects().size());
            boolean repeat = in.qos() == QoS.EXACTLY_ONCE
                    && before.session(publisher).awaitingPubRel().contains(in.packetId());
            boolean tooDeep = maxTopicLevels > 0 && TopicFilter.levelCount(in.topic()) > maxTopicLevels;
            boolean accepted = !repeat && !tooDeep && acknowledged(CoreInvariants.sentTo(effects, c), in.packetId());
            CoreInvariants.deliveredAsSubscribed(before, h.state(), effects, publisher, in, accepted);
        }
    }

    private static boolean acknowledged(List<Packet> sent, int packetId) {
        for (Packet p : sent) {
            if (p instanceof PubAck a && a.packetId() == packetId && !a.reasonCode().isError()
                    || p instanceof PubRec r && r.packetId() == packetId && !r.reasonCode().isError()) {
                return true;
            }
        }
        return false;
    }

    private void subscribe(ConnectionId c) {
        List<Subscription> subs = new ArrayList<>();
        for (int i = data.consumeInt(1, 3); i > 0; i--) {
            boolean v5 = versions.get(c) == ProtocolVersion.MQTT_5;
            subs.add(new Subscription(data.pickValue(FILTERS), new SubscriptionOptions(qos(), v5 && data.consumeBoolean(),
                    v5 && data.consumeBoolean(), data.pickValue(SubscriptionOptions.RetainHandling.values()))));
        }
        Properties props = data.consumeBoolean() ? Properties.EMPTY
                : Properties.of(new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER, data.consumeInt(1, 3)));
        send(c, new Subscribe(id(), subs, props));
    }

    /** The client answers the oldest packet it has not answered yet, as a well-behaved client does. */
    private void answer(ConnectionId c) {
        List<Packet> pending = unread.get(c);
        while (!pending.isEmpty()) {
            Packet p = pending.remove(0);
            Packet reply = null;
            if (p instanceof Publish pub && pub.qos() == QoS.AT_LEAST_ONCE) {
                reply = new PubAck(pub.packetId());
            } else if (p instanceof Publish pub && pub.qos() == QoS.EXACTLY_ONCE) {
                reply = new PubRec(pub.packetId());
            } else if (p instanceof PubRec r) {
                reply = new PubRel(r.packetId());
            } else if (p instanceof PubRel r) {
                reply = new PubComp(r.packetId());
            }
            if (reply != null) {
                send(c, reply);
                return;
            }
        }
    }

    private void disconnect(ConnectionId c) {
        Properties props = versions.get(c) == ProtocolVersion.MQTT_5
                ? maybe(Properties.EMPTY, PropertyId.SESSION_EXPIRY_INTERVAL, new long[] {0, 10}) : Properties.EMPTY;
        send(c, new Disconnect(data.consumeBoolean() ? ReasonCode.NORMAL_DISCONNECTION
                : ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, props));
    }

    private void lose(ConnectionId c) {
        int from = h.allEffects().size();
        h.lose(c);
        after(from);
    }

    /** Bytes of the fuzzer's choice, decoded as the shell would; a frame that does not decode ends the input. */
    private void raw(ConnectionId c, byte[] bytes) {
        int from = h.allEffects().size();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        DecodeResult r = new MqttDecoder(h.core().config().maximumPacketSize()).decode(in, versions.get(c));
        if (r instanceof DecodeResult.Decoded d) {
            h.in(c, d.packet());
        } else if (r instanceof DecodeResult.DecodeError e) {
            h.malformed(c, e.reason(), e.version());
        }
        after(from);
    }

    private void advance(long millis) {
        int from = h.allEffects().size();
        h.advance(millis);
        after(from);
    }

    /**
     * Encodes a packet in the connection's version and decodes it again, as the shell gets it, then
     * hands it to the core; a packet the encoder refuses is not sent. Returns what the core got.
     */
    private Packet send(ConnectionId c, Packet packet) {
        ProtocolVersion v = packet instanceof Connect connect ? connect.version() : versions.get(c);
        byte[] wire;
        try {
            ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, v == null ? ProtocolVersion.MQTT_3_1_1 : v));
            MqttEncoder.encode(packet, v == null ? ProtocolVersion.MQTT_3_1_1 : v, out);
            wire = out.array();
        } catch (IllegalArgumentException notSendable) {
            return null;
        }
        int from = h.allEffects().size();
        DecodeResult r = new MqttDecoder(h.core().config().maximumPacketSize())
                .decode(ByteBuffer.wrap(wire), packet instanceof Connect ? null : versions.get(c));
        Packet fed = null;
        if (r instanceof DecodeResult.Decoded d) {
            fed = d.packet();
            h.in(c, fed);
        } else if (r instanceof DecodeResult.DecodeError e) {
            h.malformed(c, e.reason(), e.version());
        }
        after(from);
        return fed;
    }

    /** The checks after every step, and the model's view of which connections are open. */
    private void after(int from) {
        List<Effect> effects = h.allEffects().subList(from, h.allEffects().size());
        for (Effect e : effects) {
            if (e instanceof Effect.Attached a) {
                versions.put(a.connection(), a.version());
            } else if (e instanceof Effect.Refused r) {
                versions.put(r.connection(), r.version());
            }
        }
        CoreInvariants.sendsAreWritable(effects, versions, maximumPacketSizes);
        CoreInvariants.sessionsAreSound(h.state());
        for (ConnectionId c : List.copyOf(open)) {
            unread.get(c).addAll(h.out(c));
            if (h.isClosed(c)) {
                open.remove(c);
                unread.remove(c);
            }
        }
    }

    // ---- choices ----

    private Packet acknowledgement(int kind, int packetId) {
        return switch (kind) {
            case 0 -> new PubAck(packetId);
            case 1 -> new PubRec(packetId);
            case 2 -> new PubRel(packetId);
            default -> new PubComp(packetId);
        };
    }

    private Properties maybe(Properties props, PropertyId id, long[] values) {
        return data.consumeBoolean() ? props.withInteger(id, data.pickValue(values)) : props;
    }

    private QoS qos() {
        return QoS.of(data.consumeInt(0, 2));
    }

    private int id() {
        return data.consumeInt(1, 6);
    }

    /** A payload no other message of the run has, so a delivery can be traced to its PUBLISH. */
    private byte[] payload(String kind) {
        return (kind + (++messages)).getBytes(StandardCharsets.UTF_8);
    }
}
