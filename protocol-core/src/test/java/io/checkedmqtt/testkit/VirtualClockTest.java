package io.checkedmqtt.testkit;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The harnesses' virtual time fires timers as the shell's wheel does. */
class VirtualClockTest {

    private static final Timer A = new Timer.KeepAlive(new ConnectionId(1));
    private static final Timer B = new Timer.KeepAlive(new ConnectionId(2));
    private static final Timer C = new Timer.KeepAlive(new ConnectionId(3));

    @Test
    @DisplayName("due timers fire earliest first, each at its own deadline; later ones wait; time ends where asked")
    void firesInDeadlineOrder() {
        VirtualClock clock = new VirtualClock(0);
        clock.track(new Effect.ScheduleTimer(A, 300));
        clock.track(new Effect.ScheduleTimer(B, 100));
        clock.track(new Effect.ScheduleTimer(C, 200));
        List<String> fired = new ArrayList<>();
        clock.advance(250, t -> fired.add(t + "@" + clock.now()));
        assertEquals(List.of(B + "@100", C + "@200"), fired);
        assertEquals(250, clock.now());
        assertEquals(List.of(A), List.copyOf(clock.timers().keySet()));
    }

    @Test
    @DisplayName("a timer scheduled while firing fires in the same span when due; a cancelled one never fires")
    void rescheduledAndCancelled() {
        VirtualClock clock = new VirtualClock(1_000);
        clock.track(new Effect.ScheduleTimer(A, 1_100));
        clock.track(new Effect.ScheduleTimer(B, 1_150));
        clock.track(new Effect.CancelTimer(B));
        List<Long> fired = new ArrayList<>();
        clock.advance(1_000, t -> {
            fired.add(clock.now());
            if (fired.size() < 3) {
                clock.track(new Effect.ScheduleTimer(A, clock.now() + 400));
            }
        });
        assertEquals(List.of(1_100L, 1_500L, 1_900L), fired);
        assertEquals(2_000, clock.now());
    }
}
