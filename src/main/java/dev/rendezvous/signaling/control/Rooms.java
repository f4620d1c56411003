package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Room;
import dev.rendezvous.signaling.entity.RoomEvents;
import dev.rendezvous.signaling.entity.Sends;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry every connection shares: started peers by id and rooms by name, both O(1). A room is created by its
 * first join and closed by its last leave, which also takes it out of the map; a join that finds a closed room
 * makes a fresh one. Each room's own lock orders what happens in it; no lock of the map is held while a room decides,
 * and none at all while frames are written.
 */
@ApplicationScoped
public class Rooms {

    private final ConcurrentMap<PeerId, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentMap<RoomName, Room> rooms = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private int capacity;
    private boolean directCalls;
    private RoomEvents events;

    @Inject
    public Rooms(Settings settings, RoomEvents events) {
        this(settings.limits().roomCapacity(), settings.directCalls(), events);
    }

    /**
     * @param directCalls whether peers outside rooms may signal each other (the tutorial's 1:1 calls)
     */
    public Rooms(int capacity, boolean directCalls) {
        this(capacity, directCalls, RoomEvents.NONE);
    }

    /** @param events what the rooms report of their lives */
    public Rooms(int capacity, boolean directCalls, RoomEvents events) {
        this.capacity = capacity;
        this.directCalls = directCalls;
        this.events = events;
    }

    /** For the CDI proxy only. */
    protected Rooms() {
    }

    /** Registers a new peer under a fresh random id; its frames go to {@code outbox}. */
    public Peer connect(Peer.Outbox outbox) {
        return connect(outbox, null);
    }

    /** Registers a new peer of the user {@code userId} (null with access control off) under a fresh random id. */
    public Peer connect(Peer.Outbox outbox, String userId) {
        while (true) {
            var peer = new Peer(PeerId.random(random), userId, outbox);
            if (peers.putIfAbsent(peer.id(), peer) == null) {
                return peer;
            }
        }
    }

    /**
     * The peer is gone for good: it departs (no room seats it any more), leaves the registry, then its room, whose
     * members hear why. Disconnecting twice does nothing the second time.
     */
    public void disconnect(Peer peer, LeaveReason reason) {
        var room = peer.depart();
        peers.remove(peer.id(), peer);
        if (room != null) {
            leave(room, peer, reason);
        }
    }

    /** The connected peer with this id, or null. */
    public Peer find(PeerId id) {
        return peers.get(id);
    }

    /**
     * Seats {@code peer} in the named room (which answers it {@code joined}); if it was in another room, it leaves
     * that one only once the new seat is claimed. A peer that departed meanwhile is seated nowhere, and answered nothing.
     *
     * @throws ProtocolException {@code room-full}, with nothing changed
     */
    public void join(Peer peer, RoomName name, DisplayName displayName, String txn) {
        var previous = peer.room();
        var news = Frame.of(new ServerMessage.PeerJoined(name, new Member(peer.id(), displayName, false, peer.userId())));
        var sends = new Sends();
        Room room;
        Room.Admission admission;
        do {
            room = rooms.computeIfAbsent(name, key -> new Room(key, capacity, clock, events));
            admission = room.admit(peer, displayName, txn, news, sends);
            forgetIfClosed(room);
        } while (admission == Room.Admission.CLOSED);
        sends.run();
        if (admission == Room.Admission.FULL) {
            throw new ProtocolException(ErrorCode.ROOM_FULL, "room " + name + " is full (" + capacity + " peers)");
        }
        if (admission == Room.Admission.LOCKED) {
            throw new ProtocolException(ErrorCode.ROOM_LOCKED, "room " + name + " is locked: nobody new may join it");
        }
        if (admission == Room.Admission.JOINED && previous != null && previous != room) {
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
        if (room == null || !leave(room, peer, reason)) {
            return null;
        }
        return room.name();
    }

    /**
     * Relays {@code frame} from {@code sender} to the peer {@code to}, if it may reach it: a member of its room, or,
     * outside rooms, any peer outside rooms (direct calls, unless turned off).
     *
     * @throws ProtocolException {@code peer-not-found}, {@code not-same-room}, {@code not-in-room} (direct calls off) or
     *                           {@code bad-request} (addressed to itself)
     */
    public void deliver(Peer sender, PeerId to, Frame frame) {
        if (to.equals(sender.id())) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a message cannot be addressed to its sender");
        }
        var target = peers.get(to);
        if (target == null) {
            throw new ProtocolException(ErrorCode.PEER_NOT_FOUND, "no peer " + to + " is connected");
        }
        var sends = new Sends();
        var room = sender.room();
        boolean delivered;
        if (room != null) {
            delivered = room.deliver(sender, target, frame, sends);
        } else if (directCalls) {
            delivered = target.offerOutsideRooms(frame, sends);
        } else {
            throw new ProtocolException(ErrorCode.NOT_IN_ROOM, "direct calls are turned off: join a room first");
        }
        sends.run();
        if (!delivered) {
            throw target.hasDeparted()
                    ? new ProtocolException(ErrorCode.PEER_NOT_FOUND, "no peer " + to + " is connected")
                    : new ProtocolException(ErrorCode.NOT_SAME_ROOM, "peer " + to + " is not in your room");
        }
    }

    /**
     * Sends {@code frame} to every other member of {@code sender}'s room.
     *
     * @throws ProtocolException {@code not-in-room}
     */
    public void broadcast(Peer sender, Frame frame) {
        var room = sender.room();
        var sends = new Sends();
        var delivered = room != null && room.broadcast(sender, frame, sends);
        sends.run();
        if (!delivered) {
            throw new ProtocolException(ErrorCode.NOT_IN_ROOM, "a message without data.to goes to your room, and you are in none");
        }
    }

    /** Queues {@code frame} for every other member of {@code peer}'s room (nothing if it is in none, or {@code frame} is null). */
    void announce(Peer peer, Frame frame, Sends sends) {
        var room = peer.room();
        if (room != null && frame != null) {
            room.broadcast(peer, frame, sends);
        }
    }

    public int peerCount() {
        return peers.size();
    }

    /**
     * Locks the named room to newcomers ({@code join} is answered {@code room-locked}), or opens it again.
     *
     * @return false if there is no such room
     */
    public boolean lock(RoomName name, boolean locked) {
        var room = rooms.get(name);
        if (room == null) {
            return false;
        }
        room.lock(locked);
        return true;
    }

    /**
     * Closes the named room: every member hears {@code room-closed} and is in no room any more; the room is gone.
     *
     * @return how many members it had, or -1 if there is no such room
     */
    public int close(RoomName name) {
        var room = rooms.remove(name);
        if (room == null) {
            return -1;
        }
        var sends = new Sends();
        var members = room.dissolve(Frame.of(new ServerMessage.RoomClosed(name)), sends);
        sends.run();
        return members;
    }

    /**
     * Removes the peer {@code id} of the named room for good: its socket is closed 4010 with {@code reason}, its room
     * hears {@code peer-left} {@code kicked}, its session cannot resume.
     *
     * @return false if there is no such room, or no such peer in it
     */
    public boolean kick(RoomName name, PeerId id, String reason) {
        var room = rooms.get(name);
        var member = room == null ? null : room.member(id);
        return member != null && member.kick(reason);
    }

    /** Like {@link #kick(RoomName, PeerId, String)}, for the peer {@code id} wherever it is; false if none is connected. */
    public boolean kick(PeerId id, String reason) {
        var peer = peers.get(id);
        return peer != null && peer.kick(reason);
    }

    public int roomCount() {
        return rooms.size();
    }

    /** How many peers are seated in rooms now. */
    public int seatedCount() {
        return rooms.values().stream().mapToInt(Room::size).sum();
    }

    /** Every room and its members as they are now, by room name. */
    public List<Room.Snapshot> snapshot() {
        return rooms.values().stream()
                .map(Room::snapshot)
                .filter(room -> !room.peers().isEmpty()) // one that emptied just now, on its way out of the map
                .sorted(Comparator.comparing(room -> room.name().value()))
                .toList();
    }

    /** The named room and its members as they are now, if it exists. */
    public Optional<Room.Snapshot> snapshot(RoomName name) {
        return Optional.ofNullable(rooms.get(name)).map(Room::snapshot).filter(room -> !room.peers().isEmpty());
    }

    private boolean leave(Room room, Peer peer, LeaveReason reason) {
        var sends = new Sends();
        var left = room.remove(peer, reason, Frame.of(new ServerMessage.PeerLeft(room.name(), peer.id(), reason)), sends);
        forgetIfClosed(room);
        sends.run();
        return left;
    }

    private void forgetIfClosed(Room room) {
        if (room.isClosed()) {
            rooms.remove(room.name(), room);
        }
    }
}
