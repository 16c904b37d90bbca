package io.checkedmqtt.model;

import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.testkit.SimClient;

/**
 * One step of the environment, as data, so that a failing sequence can be printed, shrunk and
 * replayed. {@link #apply} returns false when the step is not possible in the current state; a
 * shrunk sequence then simply skips it. The names follow the TLA+ actions where there is one.
 */
sealed interface Action {

    boolean apply(World w);

    /** Open a connection if needed and send CONNECT (a take-over when already connected). */
    record ClientConnect(String client, boolean v5, boolean clean, long sessionExpiry, int keepAlive,
                         int receiveMaximum) implements Action {
        @Override
        public boolean apply(World w) {
            World.Conn cur = w.current.get(client);
            boolean opened = cur != null && cur.client.phase == SimClient.Phase.OPENED;
            if (!opened && !w.open(client)) {
                return false;
            }
            return w.sendConnect(client, v5 ? ProtocolVersion.MQTT_5 : ProtocolVersion.MQTT_3_1_1, clean,
                    sessionExpiry, keepAlive, receiveMaximum);
        }
    }

    /** Open a TCP connection and send nothing (yet). */
    record OpenConnection(String client) implements Action {
        @Override
        public boolean apply(World w) {
            return w.current.get(client) == null && w.open(client);
        }
    }

    record ClientSubscribe(String client, int qos, int packetId) implements Action {
        @Override
        public boolean apply(World w) {
            return w.subscribe(client, qos, packetId);
        }
    }

    record ClientUnsubscribe(String client, int packetId) implements Action {
        @Override
        public boolean apply(World w) {
            return w.unsubscribe(client, packetId);
        }
    }

    record ClientPublish(String client, int qos) implements Action {
        @Override
        public boolean apply(World w) {
            return w.publish(client, qos) != null;
        }
    }

    record ClientDisconnect(String client) implements Action {
        @Override
        public boolean apply(World w) {
            return w.disconnect(client);
        }
    }

    /** The core reads the next packet on the client's connection ({@code old}: the one a take-over replaces). */
    record ServerReads(String client, boolean old) implements Action {
        @Override
        public boolean apply(World w) {
            return w.serverReads(client, old);
        }
    }

    record ClientReads(String client) implements Action {
        @Override
        public boolean apply(World w) {
            return w.clientReads(client);
        }
    }

    /** The client sends one of its withheld acknowledgements: acknowledgements in any order. */
    record ClientAcks(String client, int index) implements Action {
        @Override
        public boolean apply(World w) {
            return w.clientAcks(client, index);
        }
    }

    record ConnectionLost(String client, boolean old) implements Action {
        @Override
        public boolean apply(World w) {
            return w.drop(client, old);
        }
    }

    /** Virtual time passes; deadlines (keep-alive, resend, session expiry, CONNECT timeout) fire. */
    record Advance(long millis) implements Action {
        @Override
        public boolean apply(World w) {
            w.advance(millis);
            return true;
        }
    }
}
