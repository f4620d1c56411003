package dev.rendezvous.signaling.entity;

import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.RoomName;

/**
 * What a room reports of its life, to whoever tells the outside (the operations component's webhooks): called under
 * the room's lock, so in the order every member sees, which is why an implementation only queues; what must follow
 * (starting a delivery) it adds to {@code sends}, which the caller runs once the lock is released. {@link #NONE}
 * reports nothing.
 */
public interface RoomEvents {

    RoomEvents NONE = new RoomEvents() {
    };

    /** {@code room} took its first member; {@link #joined} for that member follows. */
    default void started(RoomName room, Sends sends) {
    }

    default void joined(RoomName room, Peer peer, Sends sends) {
    }

    default void left(RoomName room, Peer peer, LeaveReason reason, Sends sends) {
    }

    /** {@code room} is gone: its last member left (after its {@link #left}), or an operator closed it. */
    default void finished(RoomName room, Sends sends) {
    }
}
