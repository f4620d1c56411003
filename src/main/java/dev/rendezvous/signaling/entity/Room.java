package dev.rendezvous.signaling.entity;

import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A room: up to {@code capacity} peers in join order. Membership changes and the events they cause happen under the
 * room's lock, so every member sees one order of joins and leaves, and a joiner hears {@code joined} before anyone
 * can reach it. Sends only enqueue, so holding the lock never waits on a network.
 */
public final class Room {

    private final RoomName name;
    private final int capacity;
    private final Map<PeerId, Seat> seats = new LinkedHashMap<>();

    private record Seat(Peer peer, String displayName) {
    }

    public Room(RoomName name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("room capacity must be at least 1, not " + capacity);
        }
        this.name = Objects.requireNonNull(name);
        this.capacity = capacity;
    }

    public RoomName name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Seats {@code peer} if there is room: answers it {@code joined} with the members already here (all polite toward
     * it, being earlier), then tells each of them {@code peer-joined}. A member joining again is answered
     * {@code joined} again and nothing else happens.
     *
     * @return false, changing nothing, if the room is full
     */
    public synchronized boolean admit(Peer peer, String displayName, String txn) {
        if (seats.containsKey(peer.id())) {
            peer.send(joined(peer, txn));
            return true;
        }
        if (seats.size() >= capacity) {
            return false;
        }
        var answer = joined(peer, txn);
        seats.put(peer.id(), new Seat(peer, displayName));
        peer.enter(this);
        peer.send(answer);
        var news = new ServerMessage.PeerJoined(name, new Member(peer.id(), displayName, false));
        forEachOther(peer, other -> other.send(news));
        return true;
    }

    /** Unseats {@code peer} and tells the others why; does nothing if it is not a member. */
    public synchronized void remove(Peer peer, LeaveReason reason) {
        if (seats.remove(peer.id()) == null) {
            return;
        }
        peer.exit(this);
        var news = new ServerMessage.PeerLeft(name, peer.id(), reason);
        forEachOther(peer, other -> other.send(news));
    }

    /** Sends {@code message} to every member but {@code sender}. */
    public synchronized void broadcast(Peer sender, ServerMessage message) {
        forEachOther(sender, other -> other.send(message));
    }

    public synchronized boolean isEmpty() {
        return seats.isEmpty();
    }

    public synchronized int size() {
        return seats.size();
    }

    private ServerMessage.Joined joined(Peer peer, String txn) {
        var members = new ArrayList<Member>(seats.size());
        for (var seat : seats.values()) {
            if (seat.peer() != peer) {
                members.add(new Member(seat.peer().id(), seat.displayName(), true));
            }
        }
        return new ServerMessage.Joined(txn, name, peer.id(), capacity, members);
    }

    private void forEachOther(Peer peer, Consumer<Peer> action) {
        for (var seat : seats.values()) {
            if (seat.peer() != peer) {
                action.accept(seat.peer());
            }
        }
    }

    @Override
    public String toString() {
        return "room " + name;
    }
}
