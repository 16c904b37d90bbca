package io.checkedmqtt.broker;

import io.checkedmqtt.broker.auth.AuthFiles;

/**
 * Keeps the core's rules in step with the auth files, on the loop thread: every
 * {@code auth_reload_interval_ms} it asks {@link AuthFiles} for files that changed, and when
 * {@link MqttBroker#reloadAuthFiles()} asks (from any thread) it re-reads them all. New rules go
 * to the core before its next input; a file that does not parse leaves the old rules (logged).
 *
 * <p>SIGHUP, Mosquitto's reload signal, is not used: the JDK offers no public API for it (only
 * {@code sun.misc.Signal}), and the JVM's own handling of HUP stops the process like TERM. Touch
 * or rewrite a file instead; it is picked up within the interval.
 */
final class AuthReloader {

    private final AuthFiles files;
    private final long intervalMillis;
    /** Reloads asked for, and reloads done (of those asked for); guarded by this. */
    private long requested;
    private long done;

    AuthReloader(AuthFiles files, long intervalMillis) {
        this.files = files;
        this.intervalMillis = intervalMillis;
    }

    /** 0 when files are only re-read on request. */
    long intervalMillis() {
        return intervalMillis;
    }

    /** Asks for a reload of every file at the loop's next pass; returns a ticket for {@link #await}. Any thread. */
    synchronized long request() {
        return ++requested;
    }

    synchronized boolean requested() {
        return done < requested;
    }

    /** Waits until the reload with this ticket was done (at most {@code timeoutMillis}); any thread. */
    synchronized boolean await(long ticket, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (done < ticket) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Re-reads changed files (or all of them, when asked); true when the rules changed. Loop thread. */
    boolean check(CoreDriver core, BrokerLog log) {
        long ticket;
        synchronized (this) {
            ticket = requested;
        }
        boolean all = ticket > done();
        boolean changed = all ? files.reload(log::info) : files.reloadIfChanged(log::info);
        if (changed) {
            core.authorizerChanged(files.authorizer());
            log.info(files.describe());
        }
        synchronized (this) {
            done = Math.max(done, ticket);
            notifyAll();
        }
        return changed;
    }

    private synchronized long done() {
        return done;
    }
}
