package io.checkedmqtt.model;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.function.LongSupplier;

/** Prints what the world observes, for reading a replayed failure ({@code -Dmodel.debug=true}). */
final class WireLog implements Observer {

    private final LongSupplier clock;

    WireLog(LongSupplier clock) {
        this.clock = clock;
    }

    private void log(String s) {
        System.out.println("  [" + clock.getAsLong() + "] " + s);
    }

    @Override
    public void clientPublished(String client, String message, int qos, int packetId) {
        log(client + " publishes " + message + " qos " + qos + " id " + packetId);
    }

    @Override
    public void serverAccepted(String client, Connect connect, boolean sessionPresent) {
        log("server accepts " + client + " clean=" + connect.cleanStart() + " present=" + sessionPresent);
    }

    @Override
    public void serverEnded(String client, Ending ending, ReasonCode reason) {
        log("server ends " + client + " " + ending + (reason == null ? "" : " " + reason));
    }

    @Override
    public void serverReceived(String client, Packet packet) {
        log("server <- " + client + " " + packet);
    }

    @Override
    public void serverSent(String client, Packet packet, Cause cause) {
        log("server -> " + client + " " + packet + " (" + cause + ")");
    }

    @Override
    public void applicationReceived(String client, String message, int qos) {
        log(client + " application gets " + message + " qos " + qos);
    }
}
