package io.checkedmqtt.testkit;

import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Virtual time for a harness that drives the core: the clock, and the timers the core's effects
 * scheduled and have not cancelled. Time moves only when the test says so, and every timer that
 * falls due on the way fires at its own deadline, earliest first, as the shell's timer wheel
 * fires them.
 */
public final class VirtualClock {

    private long now;
    private final Map<Timer, Long> timers = new LinkedHashMap<>();

    public VirtualClock(long startMillis) {
        this.now = startMillis;
    }

    public long now() {
        return now;
    }

    /** The pending timers and their deadlines (read-only). */
    public Map<Timer, Long> timers() {
        return Collections.unmodifiableMap(timers);
    }

    /** Keeps track of a timer the effect schedules or cancels; any other effect is not the clock's business. */
    public void track(Effect effect) {
        if (effect instanceof Effect.ScheduleTimer t) {
            timers.put(t.timer(), t.deadlineMillis());
        } else if (effect instanceof Effect.CancelTimer t) {
            timers.remove(t.timer());
        }
    }

    /**
     * Lets {@code millis} pass. Each timer due by then is removed and handed to {@code fire} with
     * the clock at its deadline; a timer that {@code fire} schedules within the span fires too.
     */
    public void advance(long millis, Consumer<Timer> fire) {
        long target = now + millis;
        while (true) {
            Timer next = null;
            long at = Long.MAX_VALUE;
            for (Map.Entry<Timer, Long> e : timers.entrySet()) {
                if (e.getValue() < at) {
                    at = e.getValue();
                    next = e.getKey();
                }
            }
            if (next == null || at > target) {
                break;
            }
            timers.remove(next);
            now = Math.max(now, at);
            fire.accept(next);
        }
        now = target;
    }
}
