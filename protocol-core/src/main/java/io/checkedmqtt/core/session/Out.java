package io.checkedmqtt.core.session;

import io.checkedmqtt.core.broker.Effect;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the effects of one transition while it runs. Local to one call and never shared, so
 * the transition stays a pure function; {@link #step} freezes what was collected. Most
 * transitions have one or two effects and at most one signal, so those sit in fields and the
 * immutable lists are built once, at the end (this is the hot path of every packet).
 */
final class Out {

    private Effect e1;
    private Effect e2;
    private List<Effect> moreEffects;
    private SessionEffect s1;
    private List<SessionEffect> moreSignals;

    Out effect(Effect effect) {
        if (e1 == null) {
            e1 = effect;
        } else if (e2 == null) {
            e2 = effect;
        } else {
            if (moreEffects == null) {
                moreEffects = new ArrayList<>(4);
            }
            moreEffects.add(effect);
        }
        return this;
    }

    Out signal(SessionEffect signal) {
        if (s1 == null) {
            s1 = signal;
        } else {
            if (moreSignals == null) {
                moreSignals = new ArrayList<>(2);
            }
            moreSignals.add(signal);
        }
        return this;
    }

    SessionStep step(Session session) {
        return new SessionStep(session, effects(), signals());
    }

    private List<Effect> effects() {
        if (e1 == null) {
            return List.of();
        }
        if (e2 == null) {
            return List.of(e1);
        }
        if (moreEffects == null) {
            return List.of(e1, e2);
        }
        List<Effect> all = new ArrayList<>(2 + moreEffects.size());
        all.add(e1);
        all.add(e2);
        all.addAll(moreEffects);
        return List.copyOf(all);
    }

    private List<SessionEffect> signals() {
        if (s1 == null) {
            return List.of();
        }
        if (moreSignals == null) {
            return List.of(s1);
        }
        List<SessionEffect> all = new ArrayList<>(1 + moreSignals.size());
        all.add(s1);
        all.addAll(moreSignals);
        return List.copyOf(all);
    }
}
