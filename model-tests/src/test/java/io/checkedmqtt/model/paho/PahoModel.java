package io.checkedmqtt.model.paho;

import io.checkedmqtt.testkit.paho.Received;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Paho clients must see, from the actions alone. Coarser than the core's reference
 * model because the test sees only what Paho reports: each action is one synchronous Paho call,
 * so a QoS 1/2 publish has been routed when it returns, and the subscriptions at that moment are
 * known. A message routed to a session that later ends (clean start, session not kept) may be
 * lost; QoS 0 is only checked for its QoS and for arriving at most once.
 */
final class PahoModel {

    private static final class Session {
        boolean online;
        boolean exists;
        boolean keep;
        Integer sub;
    }

    /** One copy routed to a client: its QoS, and whether it must arrive. */
    private static final class Expect {
        final int qos;
        boolean must;

        Expect(int qos) {
            this.qos = qos;
            this.must = true;
        }
    }

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Map<String, Expect>> expected = new HashMap<>();
    private final Map<String, Integer> pubQos = new HashMap<>();

    PahoModel(List<String> clients) {
        for (String c : clients) {
            sessions.put(c, new Session());
            expected.put(c, new HashMap<>());
        }
    }

    boolean online(String c) {
        return sessions.get(c).online;
    }

    boolean keptOffline(String c) {
        Session s = sessions.get(c);
        return !s.online && s.exists && s.keep;
    }

    void connected(String c, boolean clean, boolean keep) {
        Session s = sessions.get(c);
        if (clean || !s.exists) {
            discard(c);
        }
        s.exists = true;
        s.online = true;
        s.keep = keep;
    }

    void offline(String c) {
        Session s = sessions.get(c);
        s.online = false;
        if (!s.keep) {
            discard(c);
        }
    }

    private void discard(String c) {
        Session s = sessions.get(c);
        s.exists = false;
        s.sub = null;
        expected.get(c).values().forEach(e -> e.must = false);  // whatever was still owed may be lost now
    }

    void subscribed(String c, int qos) {
        sessions.get(c).sub = qos;
    }

    void unsubscribed(String c) {
        sessions.get(c).sub = null;
    }

    /** m was published at QoS q and (for QoS 1/2) acknowledged: routed to every subscription. */
    void published(String m, int q) {
        pubQos.put(m, q);
        if (q == 0) {
            return;
        }
        for (Map.Entry<String, Session> e : sessions.entrySet()) {
            Session s = e.getValue();
            if (s.sub != null) {
                int dq = Math.min(q, s.sub);
                Expect x = new Expect(dq);
                x.must = dq > 0;  // QoS 0 copies are never owed
                expected.get(e.getKey()).put(m, x);
            }
        }
    }

    /** Whether every copy that must arrive did. */
    boolean complete(Map<String, List<Received>> got) {
        for (var e : expected.entrySet()) {
            for (var x : e.getValue().entrySet()) {
                if (x.getValue().must && got.get(e.getKey()).stream().noneMatch(d -> d.payload().equals(x.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The violations in what the clients got, or an empty list. */
    List<String> violations(Map<String, List<Received>> got) {
        List<String> bad = new java.util.ArrayList<>();
        for (var e : got.entrySet()) {
            String c = e.getKey();
            Map<String, Integer> counts = new HashMap<>();
            for (Received d : e.getValue()) {
                int n = counts.merge(d.payload(), 1, Integer::sum);
                Integer pq = pubQos.get(d.payload());
                if (pq == null) {
                    bad.add("UnknownMessage: " + c + " got " + d);
                } else if (pq == 0) {
                    if (d.qos() != 0) {
                        bad.add("DeliveredQosIsMinimum: " + c + " got QoS 0 message " + d.payload() + " at " + d.qos());
                    }
                    if (n > 1) {
                        bad.add("Qos0DeliveredAtMostOnce: " + c + " got " + d.payload() + " " + n + " times");
                    }
                } else {
                    Expect x = expected.get(c).get(d.payload());
                    if (x == null) {
                        bad.add("OnlyRoutedMessagesDelivered: " + c + " got " + d + ", never routed to it");
                    } else if (x.qos != d.qos()) {
                        bad.add("DeliveredQosIsMinimum: " + c + " got " + d.payload() + " at QoS " + d.qos()
                                + ", expected " + x.qos);
                    }
                    if (d.qos() == 2 && n > 1) {
                        bad.add("Qos2DeliveredAtMostOnce: " + c + " got " + d.payload() + " " + n + " times");
                    }
                }
            }
            for (var x : expected.get(c).entrySet()) {
                if (x.getValue().must && !counts.containsKey(x.getKey())) {
                    bad.add("AcceptedMessagesAreDelivered: " + c + " never got " + x.getKey() + " (QoS "
                            + x.getValue().qos + ")");
                }
            }
        }
        return bad;
    }
}
