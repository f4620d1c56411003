package dev.rendezvous.operations.control;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.control.Rooms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.lang.System.Logger.Level;

/**
 * What an operator may do to rooms and peers, whichever way they ask (the admin API, JMX): each action is done and
 * logged once at INFO, saying who asked, what, and how it ended.
 */
@ApplicationScoped
public class Operator {

    private static final System.Logger LOG = System.getLogger(Operator.class.getName());

    @Inject
    Rooms rooms;

    /**
     * Removes peer {@code peerId} for good (closed 4010 with {@code reason}, or the default one; {@code peer-left}
     * {@code kicked}); only if it is in {@code room}, unless that is null.
     *
     * @return false if there is no such peer (in that room)
     */
    public boolean kick(String who, RoomName room, PeerId peerId, String reason) {
        var kicked = room == null ? rooms.kick(peerId, reason) : rooms.kick(room, peerId, reason);
        LOG.log(Level.INFO, () -> who + " kicked peer " + peerId + (room == null ? "" : " of room " + room)
                + (kicked ? ", saying: " + CloseCode.KICKED.reasonOr(reason) : ": no such peer"));
        return kicked;
    }

    /** Locks {@code room} to newcomers, or opens it again; false if there is no such room. */
    public boolean lock(String who, RoomName room, boolean locked) {
        var found = rooms.lock(room, locked);
        LOG.log(Level.INFO, () -> who + (locked ? " locked" : " unlocked") + " room " + room + (found ? "" : ": no such room"));
        return found;
    }

    /** Closes {@code room}: its members hear {@code room-closed}; false if there is no such room. */
    public boolean close(String who, RoomName room) {
        var members = rooms.close(room);
        LOG.log(Level.INFO, () -> who + " closed room " + room + (members < 0 ? ": no such room" : ", which had " + members + " peers"));
        return members >= 0;
    }
}
