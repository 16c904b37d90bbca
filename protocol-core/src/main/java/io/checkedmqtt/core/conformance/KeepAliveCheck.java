package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.effect.ClientRule;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketText;
import io.checkedmqtt.core.session.Link;
import io.checkedmqtt.core.session.Session;

/**
 * The client keeps the time between its packets within Keep Alive, with PINGREQ when it has
 * nothing else to send [v3.1.1 MQTT-3.1.2-23; v5 MQTT-3.1.2-20, the Server Keep Alive in force
 * when the CONNACK gave one, MQTT-3.1.2-21]. The broker closes the connection only after 1.5
 * times Keep Alive; a gap between the two is a breach the report shows while the connection
 * stays open. A tenth of Keep Alive plus 100 ms is allowed for the network and the client's
 * timers, and time the broker itself did not read (a fault rule) does not count.
 */
final class KeepAliveCheck {

    private KeepAliveCheck() {
    }

    static ClientWatch check(ClientWatch w, Session s, Packet packet, Findings out) {
        Link link = s.link();
        long keepAlive = link.keepAliveMillis();
        if (keepAlive <= 0) {
            return w;
        }
        long since = Math.max(link.lastPacketAtMillis(), Math.max(w.heardAtMillis(), w.pausedUntilMillis()));
        long gap = out.now() - since;
        if (gap > keepAlive + keepAlive / 10 + 100) {
            out.breach(ClientRule.KEEP_ALIVE_EXCEEDED, gap + " ms passed between two packets from the client;"
                    + " its Keep Alive is " + keepAlive / 1000 + " s", PacketText.of(packet));
        }
        return w;
    }
}
