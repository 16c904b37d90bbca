package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A stand-in core that attaches every CONNECT (stating its version, as the real core does, and
 * answering nothing) and then obeys commands sent as text ({@link TextPackets}): {@code echo X},
 * {@code close}, {@code timer MILLIS}, {@code cancel}, {@code flood COUNT SIZE},
 * {@code floodclose COUNT SIZE}, {@code fanout X}, {@code bigfanout SIZE} (a QoS 1 PUBLISH of SIZE
 * bytes to every connection, each with its own packet id, all with one payload array), {@code boom}. It records what the loop told it,
 * so tests can check the loop's side of the contract.
 */
final class ScriptedCore implements CoreDriver {

    final Set<ConnectionId> open = new CopyOnWriteArraySet<>();
    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    @Override
    public List<Effect> connectionOpened(ConnectionId connection, long nowMillis) {
        open.add(connection);
        events.add("opened " + connection);
        return List.of();
    }

    @Override
    public List<Effect> packetReceived(ConnectionId c, Packet packet, long nowMillis) {
        if (packet instanceof Connect connect) {
            events.add("attached " + c + " " + connect.clientId());
            return List.of(new Effect.Attached(c, connect.clientId(), connect.version()));
        }
        String text = TextPackets.textOf(packet);
        events.add("packet " + c + " " + text);
        String[] words = text.split(" ");
        List<Effect> effects = new ArrayList<>();
        switch (words[0]) {
            case "echo" -> effects.add(new Effect.Send(c, TextPackets.text(text.substring(5))));
            case "close" -> {
                effects.add(new Effect.Send(c, TextPackets.text("bye")));
                effects.add(new Effect.Close(c, ReasonCode.NORMAL_DISCONNECTION, "asked to"));
                effects.add(new Effect.Send(c, TextPackets.text("after close: must not be sent")));
                open.remove(c);
            }
            case "timer" -> effects.add(new Effect.ScheduleTimer(new Timer.KeepAlive(c),
                    nowMillis + Long.parseLong(words[1])));
            case "cancel" -> effects.add(new Effect.CancelTimer(new Timer.KeepAlive(c)));
            case "flood" -> {
                String body = "x".repeat(Integer.parseInt(words[2]));
                for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                    effects.add(new Effect.Send(c, TextPackets.text(body)));
                }
            }
            case "floodclose" -> {
                String body = "x".repeat(Integer.parseInt(words[2]));
                for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                    effects.add(new Effect.Send(c, TextPackets.text(body)));
                }
                effects.add(new Effect.Close(c, ReasonCode.ADMINISTRATIVE_ACTION, "after a flood"));
                open.remove(c);
            }
            case "fanout" -> {
                Packet same = TextPackets.text(text.substring(7));   // one object for every receiver
                for (ConnectionId receiver : open) {
                    effects.add(new Effect.Send(receiver, same));
                }
            }
            case "bigfanout" -> {
                byte[] payload = new byte[Integer.parseInt(words[1])];   // one array for every receiver
                java.util.Arrays.fill(payload, (byte) 'p');
                int packetId = 1;
                for (ConnectionId receiver : open) {   // a packet of its own for each: packet ids differ
                    effects.add(new Effect.Send(receiver, new Publish("t", payload, QoS.AT_LEAST_ONCE, false, false,
                            packetId++, Properties.EMPTY)));
                }
            }
            case "boom" -> throw new IllegalStateException("scripted failure");
            default -> { }
        }
        return effects;
    }

    @Override
    public List<Effect> malformedPacket(ConnectionId c, ReasonCode reason, String detail, ProtocolVersion version,
                                        long nowMillis) {
        events.add("malformed " + c + " " + reason + " " + detail);
        open.remove(c);
        return List.of(new Effect.Send(c, TextPackets.text("malformed")),
                new Effect.Close(c, reason, detail));
    }

    @Override
    public List<Effect> connectionLost(ConnectionId c, long nowMillis) {
        events.add("lost " + c);
        open.remove(c);
        return List.of();
    }

    @Override
    public List<Effect> timerFired(Timer timer, long nowMillis) {
        events.add("timer " + timer);
        if (timer instanceof Timer.KeepAlive keepAlive) {
            return List.of(new Effect.Send(keepAlive.connection(), TextPackets.text("fired at " + nowMillis)));
        }
        return List.of();
    }

    @Override
    public List<Effect> shutdown(long nowMillis) {
        events.add("shutdown");
        List<Effect> effects = new ArrayList<>();
        for (ConnectionId c : open) {
            effects.add(new Effect.Send(c, TextPackets.text("shutting down")));
            effects.add(new Effect.Close(c, ReasonCode.SERVER_SHUTTING_DOWN, ""));
        }
        return effects;
    }

    boolean saw(String event) {
        return events.contains(event);
    }
}
