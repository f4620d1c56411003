package dev.rendezvous.signaling.entity;

import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ServerMessage;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A started client: its server-chosen id, the outbox its messages go to, and the room it is in (at most one).
 * Sending never blocks: the outbox queues and the transport drains it in order.
 */
public final class Peer {

    private final PeerId id;
    private final Consumer<ServerMessage> outbox;
    private volatile Room room;

    public Peer(PeerId id, Consumer<ServerMessage> outbox) {
        this.id = Objects.requireNonNull(id);
        this.outbox = Objects.requireNonNull(outbox);
    }

    public PeerId id() {
        return id;
    }

    public void send(ServerMessage message) {
        outbox.accept(message);
    }

    /** The room this peer is in, or null. */
    public Room room() {
        return room;
    }

    /** Whether this peer and {@code other} are in the same room. */
    public boolean sharesRoomWith(Peer other) {
        var mine = room;
        return mine != null && mine == other.room;
    }

    void enter(Room room) {
        this.room = room;
    }

    void exit(Room room) {
        if (this.room == room) {
            this.room = null;
        }
    }

    @Override
    public String toString() {
        return "peer " + id;
    }
}
