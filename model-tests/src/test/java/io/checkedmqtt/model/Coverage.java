package io.checkedmqtt.model;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the runs exercised, so that a generator that stops reaching a situation (a
 * take-over, a resend after reconnect, a keep-alive close...) fails the test instead of
 * passing emptily.
 */
final class Coverage implements Observer {

    final Map<String, Long> counts = new TreeMap<>();

    private void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    long get(String what) {
        return counts.getOrDefault(what, 0L);
    }

    @Override
    public void serverAccepted(String client, Connect connect, boolean sessionPresent) {
        count("connect " + connect.version() + (connect.cleanStart() ? " clean" : " resume")
                + (sessionPresent ? " present" : ""));
    }

    @Override
    public void serverEnded(String client, Ending ending, ReasonCode reason) {
        count("end " + ending + (reason == null ? "" : " " + reason.name()));
    }

    @Override
    public void serverSent(String client, Packet packet, Cause cause) {
        if (packet instanceof Publish p && p.dup()) {
            count("resend PUBLISH on " + cause);
        } else if (packet instanceof PubRel && cause != Cause.PACKET) {
            count("resend PUBREL on " + cause);
        }
    }

    @Override
    public void applicationReceived(String client, String message, int qos) {
        count("delivered qos " + qos);
    }
}
