package io.checkedmqtt.bench.load;

/**
 * The shapes of load. For the message scenarios the topology says which publisher reaches which
 * subscriber, so the subscriber side knows what it should and should not receive.
 */
enum Scenario {
    /** N publisher→subscriber pairs, each on its own topic. */
    PAIRS("pairs", 1),
    /** N publishers on distinct topics → one subscriber on a single-level wildcard. */
    FANIN("fanin", 10),
    /** One publisher → N subscribers of its topic. */
    FANOUT("fanout", 10),
    /** Like pairs, paced at a fixed total rate; latency measured from the intended send time. */
    LATENCY("latency", 1),
    /** Connections only: open as fast as possible, then hold idle. */
    CONN("conn", 1000),
    /**
     * A fleet (issue 21's C100K shape): N subscribers of one topic, MQTT 3.1.1 and 5.0 alternating,
     * held idle, then one QoS 1 PUBLISH that every one of them receives, then clean disconnects.
     */
    FLEET("fleet", 1000);

    final String name;
    final int defaultClients;

    Scenario(final String name, final int defaultClients) {
        this.name = name;
        this.defaultClients = defaultClients;
    }

    static Scenario parse(final String text) {
        for (Scenario s : values()) {
            if (s.name.equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario: " + text);
    }

    int publishers(final int n) {
        return this == FANOUT ? 1 : n;
    }

    int subscribers(final int n) {
        return this == FANIN ? 1 : n;
    }

    /** Subscribers that receive each message of one publisher. */
    int deliveriesPerMessage(final int n) {
        return this == FANOUT ? n : 1;
    }

    /** Publishers whose messages reach one subscriber. */
    int publishersPerSubscriber(final int n) {
        return this == FANIN ? n : 1;
    }

    /** Whether subscriber {@code sub} should receive the messages of publisher {@code pub}. */
    boolean routes(final int pub, final int sub) {
        return switch (this) {
            case PAIRS, LATENCY -> pub == sub;
            case FANIN, FANOUT -> true;
            case CONN, FLEET -> false;
        };
    }

    String topic(final String runId, final int pub) {
        return switch (this) {
            case PAIRS, LATENCY -> "bench/" + runId + "/pair/" + pub;
            case FANIN -> "bench/" + runId + "/in/" + pub;
            case FANOUT -> "bench/" + runId + "/out";
            case CONN, FLEET -> throw new IllegalStateException(name + " is not a load scenario");
        };
    }

    String filter(final String runId, final int sub) {
        return switch (this) {
            case PAIRS, LATENCY -> "bench/" + runId + "/pair/" + sub;
            case FANIN -> "bench/" + runId + "/in/+";
            case FANOUT -> "bench/" + runId + "/out";
            case CONN, FLEET -> throw new IllegalStateException(name + " is not a load scenario");
        };
    }
}
