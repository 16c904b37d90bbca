package io.checkedmqtt.broker;

import io.checkedmqtt.core.broker.BrokerState;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The loop's side of persistence, run on the loop thread between reading and writing: the
 * records of a pass are made durable ({@link #commit}) before the writer writes anything of the
 * pass, and while they are not, no connection is written at all ({@link #holdsWrites}). With
 * {@code fsync interval} a shell deadline forces what was written ({@link #onDeadline}).
 * After the writes, a full segment is rolled and compacted ({@link #afterPass}).
 *
 * <p>If records cannot be made durable, the broker stops at once ({@link #failed}): every
 * connection is closed with whatever it had queued unsent, so no acknowledgement of something
 * that is not durable reaches a client. Clients reconnect once the broker is started again and
 * resend what was not acknowledged.
 *
 * <p>With persistence off every method returns at once: the core emits no records, nothing waits.
 */
final class DurableCommit {

    /** Shell deadline: records written with {@code fsync interval} must be forced now. */
    private record ForceLog() {
    }

    private static final ForceLog FORCE_LOG = new ForceLog();

    /** Null when persistence is off. */
    private final Persistence persistence;
    private final Supplier<BrokerState> coreState;
    private final Connections connections;
    private final Timers<Object> timers;
    private final BrokerLog log;
    private boolean failed;

    DurableCommit(Persistence persistence, Supplier<BrokerState> coreState, Connections connections,
                  Timers<Object> timers, BrokerLog log) {
        this.persistence = persistence;
        this.coreState = coreState;
        this.connections = connections;
        this.timers = timers;
        this.log = log;
    }

    /** Whether records of this pass are not durable yet: then no connection may be written. */
    boolean holdsWrites() {
        return persistence != null && persistence.hasPending();
    }

    /** Whether the broker stopped because records could not be made durable. */
    boolean failed() {
        return failed;
    }

    /** Makes the records of this pass durable; false when that failed and the broker has stopped. */
    boolean commit(long now) {
        if (persistence == null || failed) {
            return !failed;
        }
        try {
            persistence.commit(now);
        } catch (IOException | RuntimeException e) {
            stop(e);
            return false;
        }
        long forceAt = persistence.forceDeadline();
        if (forceAt != Long.MAX_VALUE) {
            timers.schedule(FORCE_LOG, forceAt);
        }
        return true;
    }

    /** Handles a fired shell deadline if it is the force of written records; whether it was. */
    boolean onDeadline(Object key, long now) {
        if (!(key instanceof ForceLog)) {
            return false;
        }
        try {
            persistence.force(now);
        } catch (IOException | RuntimeException e) {
            stop(e);
        }
        return true;
    }

    /** After the pass's writes: roll a full segment and compact it in the background. */
    void afterPass(long now) {
        if (persistence == null || failed) {
            return;
        }
        try {
            persistence.afterPass(coreState, now);
        } catch (IOException | RuntimeException e) {
            stop(e);
        }
    }

    /** Closes the log (forcing what was written) and unlocks the directory; once, as the loop ends. */
    void close() {
        if (persistence == null) {
            return;
        }
        try {
            persistence.close();
        } catch (IOException | RuntimeException e) {
            log.error("persistence: closing the log failed", e);
        }
    }

    private void stop(Throwable e) {
        failed = true;
        log.error("persistence: records could not be made durable; the broker stops without sending anything"
                + " that depends on them, and every connection is closed", e);
        for (Connection connection : connections.snapshot()) {
            connections.close(connection);
        }
    }
}
