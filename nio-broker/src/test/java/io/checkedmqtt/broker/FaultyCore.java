package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerCore;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.List;
import java.util.function.Predicate;

/** The real core with a planted bug: it throws on every packet {@code failOn} picks, and is itself otherwise. */
final class FaultyCore implements CoreDriver {

    /** The bug the tests plant: a PUBLISH whose topic starts with {@code boom} throws. */
    static final Predicate<Packet> BOOM = p -> p instanceof Publish pub && pub.topic().startsWith("boom");

    final BrokerCoreDriver real;
    private final Predicate<Packet> failOn;
    /** Whether keep-alive deadlines throw too. */
    private final boolean failKeepAlive;

    FaultyCore(BrokerConfig config, Predicate<Packet> failOn) {
        this(config, failOn, false);
    }

    FaultyCore(BrokerConfig config, Predicate<Packet> failOn, boolean failKeepAlive) {
        this.real = new BrokerCoreDriver(new BrokerCore(config));
        this.failOn = failOn;
        this.failKeepAlive = failKeepAlive;
    }

    /**
     * Throws for a picked packet: a {@link StackOverflowError} for a PUBLISH to {@code boom/deep...}
     * (as input deeper than the core was made for would), an {@link IllegalStateException} otherwise.
     */
    @Override
    public List<Effect> packetReceived(ConnectionId connection, Packet packet, long nowMillis) {
        if (failOn.test(packet)) {
            if (packet instanceof Publish p && p.topic().startsWith("boom/deep")) {
                throw new StackOverflowError("planted overflow on " + packet.type() + " from " + connection);
            }
            throw new IllegalStateException("planted bug on " + packet.type() + " from " + connection);
        }
        return real.packetReceived(connection, packet, nowMillis);
    }

    @Override
    public List<Effect> connectionOpened(ConnectionId connection, long nowMillis) {
        return real.connectionOpened(connection, nowMillis);
    }

    @Override
    public List<Effect> malformedPacket(ConnectionId connection, ReasonCode reason, String detail,
                                        ProtocolVersion version, long nowMillis) {
        return real.malformedPacket(connection, reason, detail, version, nowMillis);
    }

    @Override
    public List<Effect> connectionLost(ConnectionId connection, long nowMillis) {
        return real.connectionLost(connection, nowMillis);
    }

    @Override
    public List<Effect> timerFired(Timer timer, long nowMillis) {
        if (failKeepAlive && timer instanceof Timer.KeepAlive) {
            throw new IllegalStateException("planted bug on " + timer);
        }
        return real.timerFired(timer, nowMillis);
    }

    @Override
    public List<Effect> shutdown(long nowMillis) {
        return real.shutdown(nowMillis);
    }
}
