package io.checkedmqtt.broker;

import io.checkedmqtt.broker.spectrace.SpecEvents;
import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.conformance.Watch;
import io.checkedmqtt.core.conformance.WireFault;
import io.checkedmqtt.core.config.WatchConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The {@code spec_trace} setting: sits between the loop and the core and writes, after every
 * step, the step's records for {@code tla/TraceMqtt.tla} ({@link SpecEvents}) to a file, one
 * write per step that has any, so a reader sees whole steps while the broker runs. The broker
 * uses it only when the setting names a file; otherwise the loop calls the core directly. A step
 * that throws is not recorded (the core's state stays as it was). If the file cannot be written,
 * one error is logged and recording stops; the broker carries on.
 */
final class SpecTracingDriver implements CoreDriver {

    private final CoreDriver core;
    private final SpecEvents events = new SpecEvents();
    private final FileChannel file;
    private final BrokerLog log;
    private boolean failed;

    private SpecTracingDriver(CoreDriver core, FileChannel file, BrokerLog log) {
        this.core = core;
        this.file = file;
        this.log = log;
    }

    /** {@code core} itself when {@code settings} name no trace file, else {@code core} recorded into it (truncated). */
    static CoreDriver wrap(CoreDriver core, BrokerSettings settings, BrokerLog log) throws IOException {
        Path path = settings.specTrace();
        if (path == null) {
            return core;
        }
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        SpecTracingDriver driver = new SpecTracingDriver(core, file, log);
        driver.write(SpecEvents.HEADER);
        log.info("spec trace: recording every core step into " + path);
        return driver;
    }

    private List<Effect> other(SpecEvents.Cause cause, List<Effect> effects) {
        events.other(cause, effects, core.state());
        flush();
        return effects;
    }

    private void flush() {
        String text = events.take();
        if (!text.isEmpty()) {
            write(text);
        }
    }

    private void write(String text) {
        if (failed) {
            return;
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        } catch (IOException e) {
            failed = true;
            log.error("spec trace: cannot write, recording stops", e);
        }
    }

    @Override
    public List<Effect> connectionOpened(ConnectionId connection, long nowMillis) {
        return other(SpecEvents.Cause.OTHER, core.connectionOpened(connection, nowMillis));
    }

    @Override
    public List<Effect> packetReceived(ConnectionId connection, Packet packet, long nowMillis) {
        List<Effect> effects = core.packetReceived(connection, packet, nowMillis);
        events.packet(connection, packet, effects, core.state());
        flush();
        return effects;
    }

    @Override
    public List<Effect> malformedPacket(ConnectionId connection, ReasonCode reason, String detail,
                                        ProtocolVersion version, long nowMillis) {
        return other(SpecEvents.Cause.OTHER, core.malformedPacket(connection, reason, detail, version, nowMillis));
    }

    @Override
    public List<Effect> connectionLost(ConnectionId connection, long nowMillis) {
        List<Effect> effects = core.connectionLost(connection, nowMillis);
        events.lost(connection, effects, core.state());
        flush();
        return effects;
    }

    @Override
    public List<Effect> timerFired(Timer timer, long nowMillis) {
        return other(timer instanceof Timer.Resend ? SpecEvents.Cause.RESEND_TIMER : SpecEvents.Cause.OTHER,
                core.timerFired(timer, nowMillis));
    }

    @Override
    public List<Effect> shutdown(long nowMillis) {
        List<Effect> effects = other(SpecEvents.Cause.OTHER, core.shutdown(nowMillis));
        try {
            file.close();
        } catch (IOException e) {
            log.error("spec trace: cannot close the file", e);
        }
        failed = true;
        return effects;
    }

    @Override
    public List<Effect> administratorDisconnects(String clientId, long nowMillis) {
        return other(SpecEvents.Cause.OTHER, core.administratorDisconnects(clientId, nowMillis));
    }

    @Override
    public List<Effect> administratorDeletesRetained(String topic, long nowMillis) {
        return other(SpecEvents.Cause.OTHER, core.administratorDeletesRetained(topic, nowMillis));
    }

    @Override
    public List<Effect> publishFromBroker(Publish publish, long nowMillis) {
        return other(SpecEvents.Cause.OTHER, core.publishFromBroker(publish, nowMillis));
    }

    @Override
    public BrokerState state() {
        return core.state();
    }

    @Override
    public Authorizer authorizer() {
        return core.authorizer();
    }

    @Override
    public List<Effect> wireFault(ConnectionId connection, WireFault fault, long nowMillis) {
        List<Effect> effects = core.wireFault(connection, fault, nowMillis);
        events.wireFault(connection, fault, effects, core.state());
        flush();
        return effects;
    }

    @Override
    public void watchChanged(WatchConfig watch) {
        core.watchChanged(watch);
    }

    @Override
    public Watch watch() {
        return core.watch();
    }

    @Override
    public List<Effect> started(long nowMillis) {
        return other(SpecEvents.Cause.OTHER, core.started(nowMillis));
    }

    @Override
    public void authorizerChanged(Authorizer authorizer) {
        core.authorizerChanged(authorizer);
    }
}
