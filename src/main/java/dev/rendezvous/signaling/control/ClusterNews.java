package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Room;
import dev.rendezvous.signaling.entity.Sends;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the other nodes of a {@link Cluster} decided, applied to this node's copies of the rooms in {@link Rooms}: the
 * store's news of joins, leaves, dead nodes and closed rooms, and the frames other nodes relay to this node's peers.
 * The cluster calls it from one thread, in the order the store decided; each change is made under the room's lock,
 * like every change of a room, and its frames are written once that is released.
 */
public final class ClusterNews {

    private static final System.Logger LOG = System.getLogger(ClusterNews.class.getName());

    /** How long what still arrives for a peer that moved to another node is forwarded there. */
    private static final long FORWARD_FOR_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Rooms rooms;
    private final Cluster cluster;
    /** This node's peers that moved to other nodes lately, and where. */
    private final Map<PeerId, MovedAway> movedAway = new ConcurrentHashMap<>();

    private record MovedAway(String node, long at) {
    }

    ClusterNews(Rooms rooms, Cluster cluster) {
        this.rooms = rooms;
        this.cluster = cluster;
    }

    /**
     * {@code member} took a seat in {@code room} (of {@code capacity}), after {@code earlier}, who are the members
     * already seated, in join order. A node that had no copy of the room makes one from them.
     */
    public void seated(RoomName name, int capacity, Cluster.Member member, String txn, List<Cluster.Member> earlier) {
        var sends = new Sends();
        var room = rooms.copy(name);
        if (room == null || room.isClosed()) {
            room = rooms.newCopy(name, capacity);
            for (var before : earlier) {
                var peer = memberOf(room, before);
                if (peer != null) {
                    room.seat(peer, before.displayName(), null, null, sends);
                }
            }
            rooms.keep(room);
        }
        var peer = memberOf(room, member);
        if (peer == null) { // this node's peer, gone before its seat was claimed: give the seat back
            cluster.leave(name, member.peer(), LeaveReason.DISCONNECTED);
        } else {
            var news = Frame.of(new ServerMessage.PeerJoined(name, new Member(member.peer(), member.displayName(), false,
                    member.userId())));
            if (room.seat(peer, member.displayName(), txn, news, sends) == Room.Admission.DEPARTED) {
                cluster.leave(name, member.peer(), LeaveReason.DISCONNECTED);
            }
        }
        rooms.forgetIfClosed(room);
        sends.run();
        rooms.applied(member.peer(), name);
    }

    /** {@code peer} left {@code room} for {@code reason}. */
    public void unseated(RoomName name, PeerId peer, LeaveReason reason) {
        var room = rooms.copy(name);
        var member = room == null ? null : room.member(peer);
        if (member != null) {
            rooms.leave(room, member, reason);
        }
        rooms.applied(peer, name);
    }

    /** {@code peer}'s node died; the members here hear it is {@code reconnecting}. */
    public void away(RoomName name, PeerId peer) {
        var room = rooms.copy(name);
        var member = room == null ? null : room.member(peer);
        if (member != null) {
            var sends = new Sends();
            room.tell(member, Frame.of(new ServerMessage.PeerState(name, peer, ServerMessage.PeerState.Connectivity.RECONNECTING)), sends);
            sends.run();
        }
    }

    /** An operator closed {@code room}; its members here hear {@code room-closed}. */
    public void closed(RoomName name) {
        var room = rooms.drop(name);
        if (room != null) {
            var sends = new Sends();
            room.dissolve(Frame.of(new ServerMessage.RoomClosed(name)), sends);
            sends.run();
        }
    }

    /**
     * {@code frame}, relayed by a peer on another node to {@code to} of this one, which must still be a member of
     * {@code room} (or, for a direct call with {@code room} null, in none). A relay that crossed a leave in flight
     * finds it gone, and is dropped.
     */
    public void relayed(PeerId to, RoomName room, Frame frame) {
        var target = rooms.here(to);
        var sends = new Sends();
        boolean queued;
        var moved = target == null ? movedAway.get(to) : null;
        if (moved != null) {
            cluster.forward(moved.node(), to, frame); // sent before its sender's node heard that it moved
            queued = true;
        } else if (target == null) {
            queued = false;
        } else if (room != null) {
            var seated = target.room();
            queued = seated != null && seated.name().equals(room) && seated.deliverFromElsewhere(target, frame, sends);
        } else {
            queued = rooms.directCalls() && target.offerOutsideRooms(frame, sends);
        }
        sends.run();
        if (!queued) {
            LOG.log(Level.DEBUG, () -> "Dropped a relay from another node to " + to + ": it left " + (room == null
                    ? "for a room" : room) + " or is gone");
        }
    }

    /**
     * {@code peer}, a member of {@code room}, moved to {@code node} with its session: every copy has it carried there
     * from now on (the node it left stops carrying it; the node it moved to carries it already); if it was {@code back}
     * from a detach, the members here hear it is {@code connected}.
     */
    public void moved(RoomName name, PeerId peer, String node, boolean back) {
        var room = rooms.copy(name);
        var member = room == null ? null : room.member(peer);
        if (member == null) {
            return;
        }
        var sends = new Sends();
        if (!node.equals(cluster.node())) {
            var carried = Peer.elsewhere(peer, member.userId(), node, new Elsewhere(cluster, node, peer, name));
            room.replace(peer, carried, sends);
            member = carried;
        }
        if (back) {
            room.tell(member, Frame.of(new ServerMessage.PeerState(name, peer, ServerMessage.PeerState.Connectivity.CONNECTED)), sends);
        }
        rooms.forgetIfClosed(room);
        sends.run();
    }

    /** This node's peer {@code peer} moved to {@code node}: what still arrives for it here goes on there. */
    void movedAway(PeerId peer, String node) {
        var now = System.nanoTime();
        movedAway.values().removeIf(moved -> now - moved.at() > FORWARD_FOR_NANOS);
        movedAway.put(peer, new MovedAway(node, now));
    }

    /** {@code frame}, forwarded by the node {@code to} moved from: queued for it, whatever room it is in. */
    public void forwarded(PeerId to, Frame frame) {
        var target = rooms.here(to);
        if (target == null) {
            LOG.log(Level.DEBUG, () -> "Dropped a frame forwarded to " + to + ": it is gone");
            return;
        }
        target.send(frame);
    }

    /** The peer {@code member} is in {@code room} here: this node's own, or one of another node; null if it is gone. */
    Peer memberOf(Room room, Cluster.Member member) {
        if (member.node().equals(cluster.node())) {
            return rooms.here(member.peer());
        }
        return Peer.elsewhere(member.peer(), member.userId(), member.node(),
                new Elsewhere(cluster, member.node(), member.peer(), room.name()));
    }
}
