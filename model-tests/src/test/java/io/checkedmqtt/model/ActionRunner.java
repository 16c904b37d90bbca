package io.checkedmqtt.model;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.testkit.SimClient;
import io.checkedmqtt.testkit.TestedCore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The seeded action-sequence runner: chooses each action against the current state, runs it
 * against the core, lets the {@link ReferenceModel} check every invariant after every step,
 * settles at the end (reconnects kept sessions, drains the network) and checks that nothing is
 * still owed. The core is pure and the world deterministic, so a sequence replays exactly; a
 * failing one is shrunk by removing actions while the same invariant still fails.
 */
final class ActionRunner {

    /** The outcome of one sequence. */
    record Outcome(long seed, List<Action> actions, ModelViolation violation, RuntimeException crash,
                   int checks, int applied) {
        boolean failed() {
            return violation != null || crash != null;
        }

        /** What failed, for comparing failures while shrinking: the invariant's name or the exception class. */
        String kind() {
            if (violation != null) {
                String m = violation.getMessage();
                return m.substring(0, Math.max(0, m.indexOf(' ')));
            }
            return crash == null ? "" : crash.getClass().getName();
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            b.append(failed() ? (violation != null ? violation.getMessage() : crash.toString()) : "passed");
            b.append("\n  seed ").append(seed).append(", ").append(actions.size()).append(" actions:");
            for (int i = 0; i < actions.size(); i++) {
                b.append("\n   ").append(i + 1).append(". ").append(actions.get(i));
            }
            return b.toString();
        }
    }

    private final Scenario scenario;
    private final BrokerConfig config;
    private final Function<BrokerConfig, TestedCore> cores;
    /** Extra observers for each world (the trace recorder); may be null. */
    private final Function<World, List<Observer>> extra;

    /** Whether the reference model checks the run (off: only the extra observers watch). */
    private final boolean checkModel;
    /** Whether the run settles at the end (always when the model checks it). */
    private final boolean settles;

    ActionRunner(Scenario scenario, Function<BrokerConfig, TestedCore> cores,
                 Function<World, List<Observer>> extra, boolean checkModel) {
        this(scenario, cores, extra, checkModel, checkModel);
    }

    private ActionRunner(Scenario scenario, Function<BrokerConfig, TestedCore> cores,
                         Function<World, List<Observer>> extra, boolean checkModel, boolean settles) {
        this.checkModel = checkModel;
        this.settles = settles;
        this.scenario = scenario;
        this.config = Scenario.config();
        this.cores = cores;
        this.extra = extra;
    }

    ActionRunner(Scenario scenario, Function<BrokerConfig, TestedCore> cores) {
        this(scenario, cores, null, true);
    }

    /**
     * A runner that only records: the reference model does not check the run, but the run still
     * settles (reconnects the sessions its clients asked to keep, drains the network), so that a
     * broken core's trace ends as the real core's does and TLC can require quiescence there.
     */
    static ActionRunner recording(Scenario scenario, Function<BrokerConfig, TestedCore> cores,
                                  Function<World, List<Observer>> extra) {
        return new ActionRunner(scenario, cores, extra, false, true);
    }

    /** Generate and run one sequence from this seed. */
    Outcome run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int length = scenario.minActions() + random.nextInt(scenario.maxActions() - scenario.minActions() + 1);
        return execute(seed, null, random, length);
    }

    /** Run exactly these actions (then settle). */
    Outcome replay(long seed, List<Action> actions) {
        return execute(seed, actions, null, actions.size(), false);
    }

    /** Replay printing every observation, for reading a failure. */
    Outcome replayLogged(long seed, List<Action> actions) {
        return execute(seed, actions, null, actions.size(), true);
    }

    private Outcome execute(long seed, List<Action> given, SplittableRandom random, int length) {
        return execute(seed, given, random, length, false);
    }

    private Outcome execute(long seed, List<Action> given, SplittableRandom random, int length, boolean log) {
        World world = new World(cores.apply(config), config, scenario.clients(), scenario.deferAcks());
        ReferenceModel model = new ReferenceModel(config, scenario.clients(), () -> world.now());
        if (log) {
            world.observe(new WireLog(() -> world.now()));
        }
        // The extra observers (the trace recorder) hear each observation before the model may reject it.
        List<Observer> more = extra == null ? List.of() : extra.apply(world);
        more.forEach(world::observe);
        if (checkModel) {
            world.observe(model);
        }
        List<Action> done = new ArrayList<>();
        int applied = 0;
        try {
            for (int i = 0; i < length; i++) {
                Action a = given != null ? given.get(i) : choose(world, model, random);
                done.add(a);
                if (a.apply(world)) {
                    applied++;
                }
            }
            if (settles) {
                for (Observer o : more) {
                    if (o instanceof SpecTrace t) {
                        t.settling();  // recorded too: TLC checks that the run ends quiescent
                    }
                }
                settle(world, checkModel ? model : null);
            }
            return new Outcome(seed, done, null, null, model.checks(), applied);
        } catch (ModelViolation v) {
            return new Outcome(seed, done, v, null, model.checks(), applied);
        } catch (RuntimeException e) {
            return new Outcome(seed, done, null, e, model.checks(), applied);
        }
    }

    /**
     * Reconnect every kept session, let every packet arrive, then nothing may still be owed.
     * Without a model, a session counts as kept if the client's last CONNECT asked to keep it.
     */
    private void settle(World world, ReferenceModel model) {
        drain(world);
        for (String c : scenario.clients()) {
            world.drop(c, true);
            World.Conn cur = world.current.get(c);
            if (cur != null && !cur.accepted) {
                world.drop(c, false);
            }
        }
        for (String c : scenario.clients()) {
            SimClient client = world.clients.get(c);
            var last = client.lastConnect;
            boolean kept = model != null ? model.mayHoldSession(c) : last != null && asksToKeep(last);
            if (world.current.get(c) == null && kept && last != null) {
                long expiry = last.properties().integer(io.checkedmqtt.core.packet.PropertyId.SESSION_EXPIRY_INTERVAL, 0);
                long rm = last.properties().integer(io.checkedmqtt.core.packet.PropertyId.RECEIVE_MAXIMUM, 65_535);
                new Action.ClientConnect(c, last.version().isV5(), false, expiry, 0, (int) rm).apply(world);
            }
        }
        drain(world);
        if (model != null) {
            model.checkSettled(world);
        }
    }

    private static boolean asksToKeep(io.checkedmqtt.core.packet.Connect connect) {
        return connect.version().isV5()
                ? connect.properties().integer(io.checkedmqtt.core.packet.PropertyId.SESSION_EXPIRY_INTERVAL, 0) > 0
                : !connect.cleanStart();
    }

    private static void drain(World world) {
        for (int round = 0; round < 10_000 && !world.quiet(); round++) {
            for (String c : world.clients.keySet()) {
                world.clientAcks(c, 0);
                world.serverReads(c, true);
                world.serverReads(c, false);
                world.clientReads(c);
            }
        }
        if (!world.quiet()) {
            throw new ModelViolation("Quiescence violated: the network never went quiet");
        }
    }

    // ---- choosing the next action against the state ----

    private Action choose(World w, ReferenceModel model, SplittableRandom r) {
        List<Action> options = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (String c : scenario.clients()) {
            SimClient client = w.clients.get(c);
            World.Conn cur = w.current.get(c);
            World.Conn prev = w.previous.get(c);
            if (cur == null || client.phase == SimClient.Phase.OPENED
                    || (client.phase == SimClient.Phase.CONNECTED && prev == null && r.nextInt(8) == 0)) {
                add(options, weights, cur == null ? 6 : 2, connect(c, r));
            }
            if (cur == null) {
                add(options, weights, 1, new Action.OpenConnection(c));
            }
            if (client.phase == SimClient.Phase.CONNECTED) {
                add(options, weights, 3, new Action.ClientSubscribe(c, r.nextInt(3), 1 + r.nextInt(100)));
                add(options, weights, 1, new Action.ClientUnsubscribe(c, 1 + r.nextInt(100)));
                if (client.cOut.size() < 4 && w.messagesPublished() < 40) {
                    add(options, weights, 6, new Action.ClientPublish(c, r.nextInt(3)));
                }
                add(options, weights, 1, new Action.ClientDisconnect(c));
                if (!client.pendingAcks.isEmpty()) {
                    add(options, weights, 4, new Action.ClientAcks(c, r.nextInt(8)));
                }
            }
            if (cur != null && !cur.toServer.isEmpty()) {
                add(options, weights, 8, new Action.ServerReads(c, false));
            }
            if (prev != null && !prev.toServer.isEmpty()) {
                add(options, weights, 3, new Action.ServerReads(c, true));
            }
            if (cur != null && !cur.toClient.isEmpty()) {
                add(options, weights, 8, new Action.ClientReads(c));
            }
            if (cur != null) {
                add(options, weights, 1, new Action.ConnectionLost(c, false));
            }
            if (prev != null) {
                add(options, weights, 1, new Action.ConnectionLost(c, true));
            }
        }
        boolean v3Possible = scenario.versions() != 1;
        if (scenario.timeDeadlines() || v3Possible) {
            long[] steps = {500, 1_500, 3_100, 7_000, 16_000};
            add(options, weights, 1, new Action.Advance(steps[r.nextInt(steps.length)]));
        }
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        int pick = r.nextInt(total);
        for (int i = 0; i < options.size(); i++) {
            pick -= weights.get(i);
            if (pick < 0) {
                return options.get(i);
            }
        }
        throw new IllegalStateException("no action chosen");
    }

    private static void add(List<Action> options, List<Integer> weights, int weight, Action a) {
        options.add(a);
        weights.add(weight);
    }

    private Action connect(String c, SplittableRandom r) {
        boolean v5 = switch (scenario.versions()) {
            case 0 -> false;
            case 1 -> true;
            default -> r.nextBoolean();
        };
        boolean clean = r.nextInt(3) == 0;
        long expiry;
        int keepAlive = 0;
        if (scenario.timeDeadlines()) {
            long[] choices = {0, 5, 20, Scenario.NEVER_EXPIRES};
            expiry = choices[r.nextInt(choices.length)];
            keepAlive = r.nextInt(4) == 0 ? 10 : 0;
        } else {
            expiry = r.nextInt(3) == 0 ? 0 : Scenario.NEVER_EXPIRES;
        }
        if (!v5) {
            expiry = 0;
        }
        int rm = scenario.receiveMaximums().get(r.nextInt(scenario.receiveMaximums().size()));
        return new Action.ClientConnect(c, v5, clean, expiry, keepAlive, rm);
    }

    // ---- shrinking ----

    /**
     * Remove chunks of actions (halves, quarters, ..., single actions) while the same kind of
     * failure persists; repeat until no single removal keeps it. Deterministic replay makes each
     * try exact.
     */
    Outcome shrink(Outcome failing) {
        Outcome best = failing;
        String kind = failing.kind();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int chunk = Math.max(1, best.actions().size() / 2); chunk >= 1; chunk /= 2) {
                for (int start = 0; start + chunk <= best.actions().size(); ) {
                    List<Action> fewer = new ArrayList<>(best.actions().subList(0, start));
                    fewer.addAll(best.actions().subList(start + chunk, best.actions().size()));
                    Outcome o = replay(best.seed(), fewer);
                    if (o.failed() && o.kind().equals(kind)) {
                        best = new Outcome(o.seed(), trimmed(o), o.violation(), o.crash(), o.checks(), o.applied());
                        progress = true;
                    } else {
                        start += chunk;
                    }
                }
                if (chunk == 1) {
                    break;
                }
            }
        }
        return best;
    }

    /** Actions after the one that failed are not needed. */
    private static List<Action> trimmed(Outcome o) {
        return o.actions();
    }
}
