package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Room;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The registry every connection shares: started peers by id and rooms by name, both O(1). A room is created by its
 * first join and removed with its last member; both happen inside the map's per-key update, so a join never lands in
 * a room that is being removed and capacity is claimed atomically.
 */
@ApplicationScoped
public class Rooms {

    private final ConcurrentMap<PeerId, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentMap<RoomName, Room> rooms = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private int capacity;

    @Inject
    public Rooms(Settings settings) {
        this(settings.limits().roomCapacity());
    }

    public Rooms(int capacity) {
        this.capacity = capacity;
    }

    /** For the CDI proxy only. */
    protected Rooms() {
    }

    /** Registers a new peer under a fresh random id; its messages go to {@code outbox}. */
    public Peer connect(Consumer<ServerMessage> outbox) {
        while (true) {
            var peer = new Peer(PeerId.random(random), outbox);
            if (peers.putIfAbsent(peer.id(), peer) == null) {
                return peer;
            }
        }
    }

    /**
     * Takes {@code peer} out of the registry, then out of its room (telling the others why): whoever hears
     * {@code peer-left} can no longer reach it. Disconnecting twice does nothing the second time.
     */
    public void disconnect(Peer peer, LeaveReason reason) {
        if (peers.remove(peer.id(), peer)) {
            leave(peer, reason);
        }
    }

    /** The connected peer with this id, or null. */
    public Peer find(PeerId id) {
        return peers.get(id);
    }

    /**
     * Seats {@code peer} in the named room (which answers it {@code joined}); if it was in another room, it leaves
     * that one only once the new seat is claimed.
     *
     * @throws ProtocolException {@code room-full}, with nothing changed
     */
    public void join(Peer peer, RoomName name, String displayName, String txn) {
        var previous = peer.room();
        var admitted = new boolean[1];
        rooms.compute(name, (key, room) -> {
            var target = room != null ? room : new Room(key, capacity);
            admitted[0] = target.admit(peer, displayName, txn);
            return target.isEmpty() ? null : target;
        });
        if (!admitted[0]) {
            throw new ProtocolException(ErrorCode.ROOM_FULL, "room " + name + " is full (" + capacity + " peers)");
        }
        if (previous != null && previous != peer.room()) {
            leave(previous, peer, LeaveReason.LEFT);
        }
    }

    /**
     * Takes {@code peer} out of its room, telling the others why.
     *
     * @return the room it left, or null if it was in none
     */
    public RoomName leave(Peer peer, LeaveReason reason) {
        var room = peer.room();
        if (room == null) {
            return null;
        }
        leave(room, peer, reason);
        return room.name();
    }

    private void leave(Room room, Peer peer, LeaveReason reason) {
        rooms.computeIfPresent(room.name(), (key, current) -> {
            room.remove(peer, reason);
            return current == room && room.isEmpty() ? null : current;
        });
    }

    public int peerCount() {
        return peers.size();
    }

    public int roomCount() {
        return rooms.size();
    }
}
