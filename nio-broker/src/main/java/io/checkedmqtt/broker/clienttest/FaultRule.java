package io.checkedmqtt.broker.clienttest;

import io.checkedmqtt.core.config.ClientPatterns;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Publish;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One fault rule, as written after {@code fault} in the config file or {@code --fault} on the
 * command line:
 *
 * <pre>
 * ACTION TYPE in|out CLIENTS [count N] [delay MS] [probability P] [qos Q]
 *
 * drop PUBACK out device-* count 1
 * delay PUBREL out device-* delay 2000
 * duplicate PUBLISH out device-* probability 0.3
 * duplicate PUBLISH out device-* qos 1
 * disconnect-after PUBREC out device-* count 1
 * pause-read PUBLISH in device-* delay 5000
 * </pre>
 *
 * {@code out} acts on packets the broker sends the client, {@code in} on packets it reads from
 * it; TYPE is a packet type or {@code ANY}; CLIENTS is a glob on client identifiers; without
 * {@code count} the rule acts on every matching packet, with it on the first N for each client
 * identifier; {@code probability} makes each matching packet a draw from the broker's seeded
 * random numbers ({@code fault_seed}); {@code qos} narrows a PUBLISH rule to messages of that QoS.
 * README, "Fault injection", has what each action does.
 *
 * @param qos the QoS a PUBLISH must have for the rule to act, or {@link #ANY_QOS}
 * @param text the rule as written (shown in traces)
 */
public record FaultRule(Action action, PacketType type, boolean outbound, ClientPatterns clients, int count,
                        long delayMillis, double probability, int qos, String text) {

    /** {@link #qos()} of a rule without a {@code qos} option. */
    public static final int ANY_QOS = -1;

    /** What a rule does to a matching packet. */
    public enum Action {
        /** Out: not written; in: not handed to the core. */
        DROP("drop"),
        /** Out: held back with everything behind it for {@code delay} ms; in: handed to the core that much later. */
        DELAY("delay"),
        /** Out, PUBLISH QoS 1/2 only: a second copy with DUP 1 right behind it, as a resend. */
        DUPLICATE("duplicate"),
        /** The connection is cut (closed without a word) right after the packet. */
        DISCONNECT_AFTER("disconnect-after"),
        /** In: after the packet, nothing is read from the client for {@code delay} ms. */
        PAUSE_READ("pause-read");

        private final String word;

        Action(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Action of(String word) {
            for (Action a : values()) {
                if (a.word.equals(word)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** The types a client sends and a server receives. */
    private static final Set<PacketType> INBOUND = EnumSet.of(PacketType.CONNECT, PacketType.PUBLISH,
            PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBSCRIBE,
            PacketType.UNSUBSCRIBE, PacketType.PINGREQ, PacketType.DISCONNECT, PacketType.AUTH);
    /** The types a server sends. */
    private static final Set<PacketType> OUTBOUND = EnumSet.of(PacketType.CONNACK, PacketType.PUBLISH,
            PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBACK,
            PacketType.UNSUBACK, PacketType.PINGRESP, PacketType.DISCONNECT, PacketType.AUTH);

    public FaultRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(text, "text");
    }

    /** Whether the rule acts on this packet in this direction (before count and chance). */
    public boolean covers(Packet packet, boolean out) {
        if (outbound != out || (type != null && type != packet.type())) {
            return false;
        }
        return qos == ANY_QOS || packet instanceof Publish p && p.qos().value() == qos;
    }

    /**
     * Reads a rule.
     *
     * @throws IllegalArgumentException with a message that says what is wrong
     */
    public static FaultRule parse(String text) {
        String[] words = text.strip().split("\\s+");
        if (words.length < 4) {
            throw new IllegalArgumentException("a fault rule is ACTION TYPE in|out CLIENTS [count N] [delay MS]"
                    + " [probability P] [qos Q], was '" + text.strip() + "'");
        }
        Action action = Action.of(words[0].toLowerCase(Locale.ROOT));
        if (action == null) {
            throw new IllegalArgumentException("unknown fault action '" + words[0]
                    + "' (drop, delay, duplicate, disconnect-after, pause-read)");
        }
        PacketType type = packetType(words[1]);
        String direction = words[2].toLowerCase(Locale.ROOT);
        if (!direction.equals("in") && !direction.equals("out")) {
            throw new IllegalArgumentException("the direction is 'in' or 'out', was '" + words[2] + "'");
        }
        boolean out = direction.equals("out");
        int count = 0;
        long delay = 0;
        double probability = 1.0;
        int qos = ANY_QOS;
        for (int i = 4; i < words.length; i += 2) {
            if (i + 1 >= words.length) {
                throw new IllegalArgumentException("'" + words[i] + "' needs a value");
            }
            String value = words[i + 1];
            switch (words[i].toLowerCase(Locale.ROOT)) {
                case "count" -> count = (int) number(value, "count", 1, Integer.MAX_VALUE);
                case "delay" -> delay = number(value, "delay", 1, 3_600_000);
                case "probability" -> probability = probability(value);
                case "qos" -> qos = (int) number(value, "qos", 0, 2);
                default -> throw new IllegalArgumentException("unknown fault option '" + words[i]
                        + "' (count, delay, probability, qos)");
            }
        }
        FaultRule rule = new FaultRule(action, type, out, ClientPatterns.of(words[3]), count, delay, probability, qos,
                String.join(" ", words));
        rule.check();
        return rule;
    }

    private void check() {
        Set<PacketType> possible = outbound ? OUTBOUND : INBOUND;
        if (type != null && !possible.contains(type)) {
            throw new IllegalArgumentException("a client never " + (outbound ? "receives " : "sends ") + type
                    + ": no '" + (outbound ? "out" : "in") + "' rule can match it");
        }
        boolean timed = action == Action.DELAY || action == Action.PAUSE_READ;
        if (timed && delayMillis == 0) {
            throw new IllegalArgumentException(action.word() + " needs 'delay MS'");
        }
        if (!timed && delayMillis != 0) {
            throw new IllegalArgumentException(action.word() + " takes no delay");
        }
        if (action == Action.DUPLICATE && (!outbound || type != PacketType.PUBLISH)) {
            throw new IllegalArgumentException("duplicate works on 'PUBLISH out' only (a resend the broker makes)");
        }
        if (qos != ANY_QOS && type != PacketType.PUBLISH) {
            throw new IllegalArgumentException("'qos' narrows PUBLISH rules only, the rule is on " + (type == null
                    ? "ANY" : type));
        }
        if (action == Action.DUPLICATE && qos == 0) {
            throw new IllegalArgumentException("duplicate with qos 0: nothing resends a QoS 0 PUBLISH (use qos 1 or 2)");
        }
        if (action == Action.PAUSE_READ && outbound) {
            throw new IllegalArgumentException("pause-read works on 'in' packets (reading stops after one)");
        }
        if (!outbound && (type == null || type == PacketType.CONNECT)
                && (action == Action.DROP || action == Action.DELAY)) {
            throw new IllegalArgumentException("rules know the client by its id, which comes with CONNECT: an 'in'"
                    + " CONNECT can only be followed by pause-read or disconnect-after");
        }
    }

    private static PacketType packetType(String word) {
        String name = word.toUpperCase(Locale.ROOT);
        if (name.equals("ANY")) {
            return null;
        }
        for (PacketType t : PacketType.values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown packet type '" + word + "' (CONNECT ... AUTH, or ANY)");
    }

    private static long number(String value, String name, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + n);
        }
        return n;
    }

    private static double probability(String value) {
        double p;
        try {
            p = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("probability must be a number, was '" + value + "'");
        }
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be above 0 and at most 1, was " + value);
        }
        return p;
    }

    @Override
    public String toString() {
        return text;
    }
}
