package dev.rendezvous.signaling.entity;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A room: up to {@code capacity} peers in join order. Membership changes, and every frame that depends on who is a
 * member (the events they cause and the relays between members), are decided and queued under the room's lock, so
 * every member sees one order of joins and leaves, a joiner hears {@code joined} before anything a member sends it,
 * and whoever heard {@code peer-left} can no longer reach that peer. Under the lock frames are only queued, never
 * encoded or written: the callers' {@link Sends} start the writes once it is released.
 *
 * <p>A room that emptied is closed for good; the registry replaces it with a fresh one on the next join.
 */
public final class Room {

    private static final System.Logger LOG = System.getLogger(Room.class.getName());

    /** How {@link #admit} ended. */
    public enum Admission {
        /** Seated now, or already a member: answered {@code joined}. */
        JOINED,
        /** At capacity: nothing changed. */
        FULL,
        /** An operator locked the room to newcomers: nothing changed. */
        LOCKED,
        /** The peer departed meanwhile: nothing changed, and nobody is answered. */
        DEPARTED,
        /** The room emptied and closed meanwhile: join the registry's fresh one instead. */
        CLOSED
    }

    /** What an operator sees of a room at one moment. */
    public record Snapshot(RoomName name, int capacity, boolean locked, Instant createdAt, List<Occupant> peers) {
    }

    /**
     * What an operator sees of a member: who, since when, from where ({@code ip:port}; null if the container hid it, or
     * another node carries it), and on which node of a cluster (null: this one).
     */
    public record Occupant(PeerId peerId, DisplayName displayName, String userId, Instant joinedAt, String remoteAddress,
                           String node) {

        /** A member this node carries. */
        public Occupant(PeerId peerId, DisplayName displayName, String userId, Instant joinedAt, String remoteAddress) {
            this(peerId, displayName, userId, joinedAt, remoteAddress, null);
        }
    }

    private final RoomName name;
    private final int capacity;
    private final Clock clock;
    private final RoomEvents events;
    private final Instant createdAt;
    private final Map<PeerId, Seat> seats = new LinkedHashMap<>();
    private boolean closed;
    private boolean locked;
    /** How many peers took a seat, over the room's life. */
    private int joins;

    private record Seat(Peer peer, DisplayName displayName, Instant joinedAt) {
    }

    public Room(RoomName name, int capacity) {
        this(name, capacity, Clock.systemUTC(), RoomEvents.NONE);
    }

    /**
     * @param clock  when it was made and when each member joined, for operators
     * @param events what it reports of its life, in its order
     */
    public Room(RoomName name, int capacity, Clock clock, RoomEvents events) {
        if (capacity < 1) {
            throw new IllegalArgumentException("room capacity must be at least 1, not " + capacity);
        }
        this.name = Objects.requireNonNull(name);
        this.capacity = capacity;
        this.clock = clock;
        this.events = events;
        this.createdAt = clock.instant();
    }

    public RoomName name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Seats {@code peer} if there is room and it has not departed: queues it {@code joined} with the members already here
     * (all polite toward it, being earlier), then {@code news} (its {@code peer-joined}) for each of them. A member
     * joining again is queued {@code joined} again and nothing else happens.
     */
    public synchronized Admission admit(Peer peer, DisplayName displayName, String txn, Frame news, Sends sends) {
        if (closed) {
            return Admission.CLOSED;
        }
        if (seats.containsKey(peer.id())) {
            peer.offerNews(Frame.deferred(joined(peer, txn)), sends);
            return Admission.JOINED;
        }
        if (locked) {
            return Admission.LOCKED;
        }
        if (seats.size() >= capacity) {
            return Admission.FULL;
        }
        return take(peer, displayName, txn, news, sends);
    }

    /**
     * Seats {@code peer} as {@link #admit} does, on a decision taken elsewhere: in a cluster, the shared store claimed
     * the seat (capacity and lock held across the nodes) and every node with a member seats it in its copy of the
     * room, in the one order the store decided. Only this node's peers are queued anything.
     */
    public synchronized Admission seat(Peer peer, DisplayName displayName, String txn, Frame news, Sends sends) {
        // news is null for the members a node learns of as it makes its copy: there is nobody here to tell
        if (closed) {
            return Admission.CLOSED;
        }
        if (seats.containsKey(peer.id())) {
            return Admission.JOINED;
        }
        return take(peer, displayName, txn, news, sends);
    }

    /**
     * In a cluster, {@code peer} moved to this node with its session (its client resumed here), and takes its seat in
     * this node's copy, which had not heard of it: it joined at {@code joinedAt} (or, if unknown, now), long before,
     * so nobody is told anything, itself included.
     */
    public synchronized Admission adopt(Peer peer, DisplayName displayName, Instant joinedAt, Sends sends) {
        if (closed) {
            return Admission.CLOSED;
        }
        if (seats.containsKey(peer.id())) {
            return Admission.JOINED;
        }
        return enter(peer, displayName, joinedAt == null ? clock.instant() : joinedAt, sends) ? Admission.JOINED : Admission.DEPARTED;
    }

    /** Seats {@code peer}, unless it departed meanwhile; the first to enter starts the room. */
    private boolean enter(Peer peer, DisplayName displayName, Instant joinedAt, Sends sends) {
        if (!peer.enter(this)) {
            closed = seats.isEmpty(); // a room made for this join alone is not left behind
            return false;
        }
        if (seats.isEmpty()) {
            events.started(name, sends);
            sends.add(() -> LOG.log(Level.INFO, "Room {0} started", name));
        }
        seats.put(peer.id(), new Seat(peer, displayName, joinedAt));
        return true;
    }

    private Admission take(Peer peer, DisplayName displayName, String txn, Frame news, Sends sends) {
        var joined = Frame.deferred(joined(peer, txn));
        if (!enter(peer, displayName, clock.instant(), sends)) {
            return Admission.DEPARTED;
        }
        joins++;
        if (peer.isHere()) {
            events.joined(name, peer, sends);
        }
        peer.offerNews(joined, sends);
        for (var seat : seats.values()) {
            if (seat.peer() != peer && news != null) {
                seat.peer().offerNews(news, sends);
            }
        }
        return Admission.JOINED;
    }

    /**
     * Unseats {@code peer}, which leaves for {@code reason}, and queues {@code news} (its {@code peer-left}) for the
     * others; does nothing if it is not a member. The last to leave closes the room.
     *
     * @return whether {@code peer} was a member
     */
    public synchronized boolean remove(Peer peer, LeaveReason reason, Frame news, Sends sends) {
        var seat = seats.get(peer.id());
        if (seat == null || seat.peer() != peer) {
            return false;
        }
        seats.remove(peer.id());
        peer.exit(this);
        for (var other : seats.values()) {
            other.peer().offerNews(news, sends);
        }
        if (peer.isHere()) {
            events.left(name, peer, reason, sends);
        }
        closed = seats.isEmpty() || !hasMembersHere();
        if (closed) {
            finished(seats.isEmpty() ? "its last peer left" : "its last peer on this node left", sends);
        }
        return true;
    }

    /**
     * Queues {@code frame} for every member but {@code sender}.
     *
     * @return false, queuing nothing, if {@code sender} is not a member
     */
    public synchronized boolean broadcast(Peer sender, Frame frame, Sends sends) {
        if (!seats(sender)) {
            return false;
        }
        for (var seat : seats.values()) {
            if (seat.peer() != sender) {
                seat.peer().offer(frame, sends);
            }
        }
        return true;
    }

    /**
     * Queues {@code frame} for {@code target} if both it and {@code sender} are members.
     *
     * @return whether it was queued
     */
    public synchronized boolean deliver(Peer sender, Peer target, Frame frame, Sends sends) {
        if (!seats(sender) || !seats(target)) {
            return false;
        }
        target.offer(frame, sends);
        return true;
    }

    /**
     * In a cluster, the member {@code id} is carried by {@code replacement} from now on (it moved to another node, or
     * from one to this): same seat, same place in the join order. A copy left with no member this node carries closes.
     *
     * @return false, changing nothing, if {@code id} is not a member
     */
    public synchronized boolean replace(PeerId id, Peer replacement, Sends sends) {
        var seat = seats.get(id);
        if (seat == null || !replacement.enter(this)) {
            return false;
        }
        seat.peer().exit(this);
        seats.put(id, new Seat(replacement, seat.displayName(), seat.joinedAt()));
        if (!closed && !hasMembersHere()) {
            closed = true;
            finished("its last peer on this node moved to another", sends);
        }
        return true;
    }

    /** The display name member {@code id} joined with, or null (also if it is no member). */
    public synchronized DisplayName displayNameOf(PeerId id) {
        var seat = seats.get(id);
        return seat == null ? null : seat.displayName();
    }

    /**
     * Queues {@code news} about {@code member} (of another node, in a cluster) for the other members this node carries.
     *
     * @return false, queuing nothing, if {@code member} is not a member
     */
    public synchronized boolean tell(Peer member, Frame news, Sends sends) {
        if (!seats(member)) {
            return false;
        }
        for (var seat : seats.values()) {
            if (seat.peer() != member) {
                seat.peer().offerNews(news, sends);
            }
        }
        return true;
    }

    /**
     * Queues {@code frame}, relayed by a member on another node, for {@code target} if it is still a member here.
     *
     * @return whether it was queued
     */
    public synchronized boolean deliverFromElsewhere(Peer target, Frame frame, Sends sends) {
        if (!seats(target)) {
            return false;
        }
        target.offer(frame, sends);
        return true;
    }

    /** Locks the room to newcomers ({@code locked}) or opens it again; its members stay either way. */
    public synchronized void lock(boolean locked) {
        this.locked = locked;
    }

    public synchronized boolean isLocked() {
        return locked;
    }

    /**
     * Closes the room on an operator's word: every member is unseated and queued {@code notice} (its
     * {@code room-closed}); nobody hears {@code peer-left}. The room takes nobody more.
     *
     * @return the members it had
     */
    public synchronized int dissolve(Frame notice, Sends sends) {
        var members = seats.size();
        for (var seat : seats.values()) {
            seat.peer().exit(this);
            seat.peer().offerNews(notice, sends);
        }
        seats.clear();
        if (!closed) {
            finished("an operator closed it", sends);
        }
        closed = true;
        return members;
    }

    /** Holding the lock: the room is gone; reported now, logged once the lock is released. */
    private void finished(String why, Sends sends) {
        events.finished(name, sends);
        var lasted = Duration.between(createdAt, clock.instant());
        var joined = joins;
        sends.add(() -> LOG.log(Level.INFO, () -> "Room " + name + " finished (" + why + ") after " + lasted.toSeconds()
                + " s and " + joined + (joined == 1 ? " join" : " joins")));
    }

    /** The member with {@code id}, or null. */
    public synchronized Peer member(PeerId id) {
        var seat = seats.get(id);
        return seat == null ? null : seat.peer();
    }

    /** The room and its members, in join order, as they are now. */
    public synchronized Snapshot snapshot() {
        var peers = new ArrayList<Occupant>(seats.size());
        for (var seat : seats.values()) {
            peers.add(new Occupant(seat.peer().id(), seat.displayName(), seat.peer().userId(), seat.joinedAt(),
                    seat.peer().remoteAddress(), seat.peer().node()));
        }
        return new Snapshot(name, capacity, locked, createdAt, List.copyOf(peers));
    }

    /** Whether the room emptied: it takes nobody more. */
    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized int size() {
        return seats.size();
    }

    /** Whether a peer this node carries is a member: a room shared by a cluster whose last one left is closed here. */
    private boolean hasMembersHere() {
        for (var seat : seats.values()) {
            if (seat.peer().isHere()) {
                return true;
            }
        }
        return false;
    }

    private boolean seats(Peer peer) {
        var seat = seats.get(peer.id());
        return seat != null && seat.peer() == peer;
    }

    /**
     * {@code joined} for {@code peer}: every other member, each polite toward it if it joined earlier (which all did,
     * for a newcomer; a member joining again is impolite toward those who came after it).
     */
    private ServerMessage.Joined joined(Peer peer, String txn) {
        var members = new ArrayList<Member>(seats.size());
        var earlier = true;
        for (var seat : seats.values()) {
            if (seat.peer() == peer) {
                earlier = false;
            } else {
                members.add(new Member(seat.peer().id(), seat.displayName(), earlier, seat.peer().userId()));
            }
        }
        return new ServerMessage.Joined(txn, name, peer.id(), capacity, members);
    }

    @Override
    public String toString() {
        return "room " + name;
    }
}
