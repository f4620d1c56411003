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

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The registry every connection shares: started peers by id and rooms by name, both O(1). A room is created by its
 * first join and closed by its last leave, which also takes it out of the map; a join that finds a closed room
 * makes a fresh one. Each room's own lock orders what happens in it; no lock of the map is held while a room decides,
 * and none at all while frames are written.
 *
 * <p>In a {@link Cluster} a room's members may be on any node. The shared store decides every join and leave (a
 * seat is claimed atomically across the nodes) and tells each node with a member, in one order; each node keeps its
 * own copy of the room, with the members of other nodes in it as peers {@link Peer#elsewhere}, and changes it only
 * as the news arrives ({@link #seated}, {@link #unseated}), on the cluster's one thread. A joining or leaving client
 * is answered once its own node has applied the news, so what it sends next finds the room as it left it.
 */
@ApplicationScoped
public class Rooms {

    private static final System.Logger LOG = System.getLogger(Rooms.class.getName());
    /** How long a client's join or leave waits for the cluster before it is answered {@code unavailable}. */
    private static final Duration CLUSTER_WAIT = Duration.ofSeconds(5);

    private final ConcurrentMap<PeerId, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentMap<RoomName, Room> rooms = new ConcurrentHashMap<>();
    /** In a cluster: the joins and leaves of this node's peers whose news has not arrived yet. */
    private final ConcurrentMap<Change, CompletableFuture<Void>> changing = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private int capacity;
    private boolean directCalls;
    private RoomEvents events;
    private Cluster cluster = Cluster.ALONE;
    private ClusterNews news = new ClusterNews(this, Cluster.ALONE);

    /** A join or leave of {@code peer} in {@code room} that waits for its news from the cluster. */
    private record Change(PeerId peer, RoomName room) {
    }

    @Inject
    public Rooms(Settings settings, RoomEvents events, Cluster cluster) {
        this(settings.limits().roomCapacity(), settings.directCalls(), events);
        this.cluster = cluster;
        this.news = new ClusterNews(this, cluster);
    }

    /** A node of {@code cluster}. */
    public Rooms(int capacity, boolean directCalls, RoomEvents events, Cluster cluster) {
        this(capacity, directCalls, events);
        this.cluster = cluster;
        this.news = new ClusterNews(this, cluster);
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
                if (cluster.on()) {
                    findable(peer);
                }
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
        if (cluster.on()) {
            cluster.departed(peer.id());
            if (room != null) {
                giveUp(room, peer, reason);
            }
        } else if (room != null) {
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
        if (cluster.on()) {
            joinShared(peer, name, displayName, txn);
            return;
        }
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
            throw full(name);
        }
        if (admission == Room.Admission.LOCKED) {
            throw locked(name);
        }
        if (admission == Room.Admission.JOINED && previous != null && previous != room) {
            leave(previous, peer, LeaveReason.LEFT);
        }
    }

    /** {@link #join} in a cluster: the store claims the seat; the joiner is answered as its news is applied here. */
    private void joinShared(Peer peer, RoomName name, DisplayName displayName, String txn) {
        var previous = peer.room();
        var change = new Change(peer.id(), name);
        var applied = new CompletableFuture<Void>();
        changing.put(change, applied);
        try {
            var member = new Cluster.Member(peer.id(), displayName, peer.userId(), cluster.node(), clock.instant(),
                    peer.remoteAddress());
            switch (await(cluster.join(name, member, capacity, txn), "join " + name)) {
                case JOINED -> await(applied, "join " + name);
                case AGAIN -> {
                    var room = rooms.get(name);
                    var sends = new Sends();
                    if (room == null || room.admit(peer, displayName, txn, null, sends) != Room.Admission.JOINED) {
                        throw new ProtocolException(ErrorCode.UNAVAILABLE, "room " + name + " is being restored; join again");
                    }
                    sends.run();
                }
                case FULL -> throw full(name);
                case LOCKED -> throw locked(name);
            }
        } finally {
            changing.remove(change, applied);
        }
        if (previous != null && !previous.name().equals(name)) {
            leaveShared(previous, peer, LeaveReason.LEFT);
        }
    }

    /**
     * Takes {@code peer} out of its room, telling the others why.
     *
     * @return the room it left, or null if it was in none
     */
    public RoomName leave(Peer peer, LeaveReason reason) {
        var room = peer.room();
        if (room == null || !(cluster.on() ? leaveShared(room, peer, reason) : leave(room, peer, reason))) {
            return null;
        }
        return room.name();
    }

    /** {@link #leave} in a cluster: the store frees the seat; the leaver is answered as its news is applied here. */
    private boolean leaveShared(Room room, Peer peer, LeaveReason reason) {
        var change = new Change(peer.id(), room.name());
        var applied = new CompletableFuture<Void>();
        changing.put(change, applied);
        try {
            boolean had;
            try {
                had = await(cluster.leave(room.name(), peer.id(), reason), "leave " + room.name());
            } catch (ProtocolException unreachable) {
                had = false; // the cluster tells the store once it is back; the members here hear it now
            }
            if (!had) {
                return leave(room, peer, reason); // or the store had no seat for it (it was restarted empty)
            }
            await(applied, "leave " + room.name());
            return true;
        } finally {
            changing.remove(change, applied);
        }
    }

    /**
     * In a cluster, {@code peer} gives up its seat without waiting for the news (a closing connection waits for
     * nothing); if the store cannot be reached, this node's members hear it at once and the store is told when it is back.
     */
    private void giveUp(Room room, Peer peer, LeaveReason reason) {
        cluster.leave(room.name(), peer.id(), reason).whenComplete((had, failed) -> {
            if (failed != null || !had) {
                leave(room, peer, reason);
            }
        });
    }

    /**
     * Relays {@code frame} from {@code sender} to the peer {@code to}, if it may reach it: a member of its room, or,
     * outside rooms, any peer outside rooms (direct calls, unless turned off). If {@code to} is on another node and the
     * cluster loses the frame on its way there, {@code lost} runs later, on the cluster's thread.
     *
     * @throws ProtocolException {@code peer-not-found}, {@code not-same-room}, {@code not-in-room} (direct calls off) or
     *                           {@code bad-request} (addressed to itself)
     */
    public void deliver(Peer sender, PeerId to, Frame frame, Runnable lost) {
        if (to.equals(sender.id())) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a message cannot be addressed to its sender");
        }
        var room = sender.room();
        var target = peers.get(to);
        if (target == null && cluster.on()) {
            target = room == null ? null : room.member(to);
            if (target == null) {
                deliverElsewhere(room, to, frame, lost);
                return;
            }
        }
        if (target == null) {
            throw new ProtocolException(ErrorCode.PEER_NOT_FOUND, "no peer " + to + " is connected");
        }
        if (!target.isHere() && !cluster.reachable()) {
            throw unavailable("reach peer " + to + " on node " + target.node());
        }
        var sends = new Sends(lost);
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
     * In a cluster, relays {@code frame} to {@code to}, which is not a member of {@code room} (the sender's, or null)
     * here: outside rooms, to the node that carries it, if it is in no room either (a direct call).
     */
    private void deliverElsewhere(Room room, PeerId to, Frame frame, Runnable lost) {
        if (room == null && !directCalls) {
            throw new ProtocolException(ErrorCode.NOT_IN_ROOM, "direct calls are turned off: join a room first");
        }
        if (!cluster.reachable()) {
            throw unavailable("find peer " + to);
        }
        var where = await(cluster.locate(to), "find peer " + to);
        if (where == null) {
            throw new ProtocolException(ErrorCode.PEER_NOT_FOUND, "no peer " + to + " is connected");
        }
        if (room != null || where.room() != null) {
            throw new ProtocolException(ErrorCode.NOT_SAME_ROOM, "peer " + to + " is not in your room");
        }
        cluster.relay(where.node(), to, null, frame, lost);
    }

    /**
     * Sends {@code frame} to every other member of {@code sender}'s room; if the cluster loses it on its way to members
     * on other nodes, {@code lost} runs once, later, on the cluster's thread.
     *
     * @throws ProtocolException {@code not-in-room}
     */
    public void broadcast(Peer sender, Frame frame, Runnable lost) {
        var room = sender.room();
        var sends = new Sends(lost);
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

    /** What the other nodes of its cluster decided, applied to this node's copies of the rooms. */
    public ClusterNews news() {
        return news;
    }

    /**
     * Waits until other nodes can find {@code peer} (for a direct call as soon as it knows its id); if the store cannot
     * be reached it is a peer of this node only, until it is.
     */
    private void findable(Peer peer) {
        if (!cluster.reachable()) {
            cluster.arrived(peer.id()); // no wait for a store that did not answer: it is told again once it does
            return;
        }
        try {
            await(cluster.arrived(peer.id()), "make " + peer + " findable by other nodes");
        } catch (ProtocolException notYet) {
            // logged by await; the peer is here all the same, and the store is told again once it answers
        }
    }

    /** The news of {@code peer}'s join or leave of {@code room} was applied here: its client may be answered. */
    void applied(PeerId peer, RoomName room) {
        var waiting = changing.get(new Change(peer, room));
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** What the cluster answers, or {@code unavailable} if it cannot within {@link #CLUSTER_WAIT}. */
    private static <T> T await(CompletionStage<T> answer, String what) {
        try {
            return answer.toCompletableFuture().get(CLUSTER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw unavailable(what);
        } catch (ExecutionException | TimeoutException failed) {
            LOG.log(Level.DEBUG, () -> "The cluster could not " + what, failed);
            throw unavailable(what);
        }
    }

    private static ProtocolException unavailable(String what) {
        return new ProtocolException(ErrorCode.UNAVAILABLE, "cannot " + what + " now: this node cannot reach the cluster's store; try again shortly");
    }

    private ProtocolException full(RoomName name) {
        return new ProtocolException(ErrorCode.ROOM_FULL, "room " + name + " is full (" + capacity + " peers)");
    }

    private static ProtocolException locked(RoomName name) {
        return new ProtocolException(ErrorCode.ROOM_LOCKED, "room " + name + " is locked: nobody new may join it");
    }

    /** This node's peer {@code id}, or null. */
    Peer here(PeerId id) {
        return peers.get(id);
    }

    /** This node's copy of the room {@code name}, or null. */
    Room copy(RoomName name) {
        return rooms.get(name);
    }

    /** A fresh copy of the room {@code name}, not yet kept. */
    Room newCopy(RoomName name, int capacity) {
        return new Room(name, capacity, clock, events);
    }

    /** Keeps {@code room} as this node's copy of it. */
    void keep(Room room) {
        rooms.put(room.name(), room);
    }

    /** Drops this node's copy of the room {@code name}: the copy, or null if there was none. */
    Room drop(RoomName name) {
        return rooms.remove(name);
    }

    /** The cluster this node is part of ({@link Cluster#ALONE} on its own). */
    Cluster cluster() {
        return cluster;
    }

    /** Whether peers outside rooms may signal each other. */
    boolean directCalls() {
        return directCalls;
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
        if (cluster.on()) {
            var known = await(cluster.lock(name, locked), "lock room " + name);
            var room = rooms.get(name);
            if (room != null) {
                room.lock(locked); // what this node's snapshot shows; the store's lock is the one joins obey
            }
            return known;
        }
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
        if (cluster.on()) {
            return (int) (long) await(cluster.close(name), "close room " + name); // each node tells its members
        }
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
        if (member != null && member.isHere()) {
            return member.kick(reason);
        }
        if (!cluster.on()) {
            return false;
        }
        var where = await(cluster.locate(id), "find peer " + id);
        if (where == null || !name.equals(where.room())) {
            return false;
        }
        cluster.kick(where.node(), id, reason);
        return true;
    }

    /**
     * Like {@link #kick(RoomName, PeerId, String)}, for the peer {@code id} wherever it is (in a cluster, on whichever
     * node); false if none is connected.
     */
    public boolean kick(PeerId id, String reason) {
        if (kickHere(id, reason)) {
            return true;
        }
        if (!cluster.on()) {
            return false;
        }
        var where = await(cluster.locate(id), "find peer " + id);
        if (where == null) {
            return false;
        }
        cluster.kick(where.node(), id, reason);
        return true;
    }

    /** Like {@link #kick(PeerId, String)}, for a peer of this node only. */
    public boolean kickHere(PeerId id, String reason) {
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

    /** The seats this node's peers hold, as the store of a cluster must hold them (it may have lost them). */
    public List<Cluster.Seat> seatsHere() {
        var held = new ArrayList<Cluster.Seat>();
        for (var room : rooms.values()) {
            var snapshot = room.snapshot();
            for (var occupant : snapshot.peers()) {
                if (occupant.node() == null) {
                    held.add(new Cluster.Seat(snapshot.name(), snapshot.capacity(), new Cluster.Member(occupant.peerId(),
                            occupant.displayName(), occupant.userId(), cluster.node(), occupant.joinedAt(),
                            occupant.remoteAddress())));
                }
            }
        }
        return held;
    }

    /**
     * In a cluster, registers {@code id}, a peer taken over from another node with its session, whose frames go to
     * {@code outbox}, and seats it in its {@code room} (null if none) here: in this node's copy, in its place among
     * {@code members} (a copy made from them if there is none).
     */
    Peer adopt(PeerId id, String userId, Peer.Outbox outbox, RoomName room, int capacity, List<Cluster.Member> members) {
        var peer = new Peer(id, userId, outbox);
        if (peers.putIfAbsent(id, peer) != null) {
            throw new IllegalStateException("peer " + id + " is here already");
        }
        if (room == null) {
            return peer;
        }
        var sends = new Sends();
        var copy = rooms.get(room);
        if (copy == null || copy.isClosed()) {
            copy = newCopy(room, capacity);
            for (var member : members) {
                if (member.peer().equals(id)) {
                    copy.adopt(peer, member.displayName(), member.joinedAt(), sends);
                } else {
                    var seated = news.memberOf(copy, member);
                    if (seated != null) {
                        copy.seat(seated, member.displayName(), null, null, sends);
                    }
                }
            }
            rooms.put(room, copy);
        } else if (!copy.replace(id, peer, sends)) { // a copy that had not heard of it yet
            var own = members.stream().filter(member -> member.peer().equals(id)).findFirst();
            copy.adopt(peer, own.map(Cluster.Member::displayName).orElse(null), own.map(Cluster.Member::joinedAt).orElse(null), sends);
        }
        sends.run();
        return peer;
    }

    /** In a cluster, {@code peer} moved to another node with its session: this node no longer carries it. */
    void movedAway(Peer peer) {
        peers.remove(peer.id(), peer);
    }

    /** Whether this node carries the peer {@code id} now. */
    public boolean carries(PeerId id) {
        return peers.containsKey(id);
    }

    /** The ids of the peers this node carries. */
    public List<PeerId> peersHere() {
        return List.copyOf(peers.keySet());
    }

    /** How many nodes of its cluster are alive, this one included; 1 for a node on its own. */
    public int nodeCount() {
        return cluster.nodes();
    }

    /** Every room and its members as they are now, by room name: in a cluster, of every node, as the store holds them. */
    public List<Room.Snapshot> snapshot() {
        if (cluster.on()) {
            return await(cluster.snapshot(), "list the cluster's rooms");
        }
        return rooms.values().stream()
                .map(Room::snapshot)
                .filter(room -> !room.peers().isEmpty()) // one that emptied just now, on its way out of the map
                .sorted(Comparator.comparing(room -> room.name().value()))
                .toList();
    }

    /** The named room and its members as they are now, if it exists (in a cluster, on any node). */
    public Optional<Room.Snapshot> snapshot(RoomName name) {
        if (cluster.on()) {
            return snapshot().stream().filter(room -> room.name().equals(name)).findFirst();
        }
        return Optional.ofNullable(rooms.get(name)).map(Room::snapshot).filter(room -> !room.peers().isEmpty());
    }

    /** Takes {@code peer} out of {@code room} here, its members hearing why: whether it was a member. */
    boolean leave(Room room, Peer peer, LeaveReason reason) {
        var sends = new Sends();
        var left = room.remove(peer, reason, Frame.of(new ServerMessage.PeerLeft(room.name(), peer.id(), reason)), sends);
        forgetIfClosed(room);
        sends.run();
        return left;
    }

    /** Takes {@code room} out of the registry if it closed. */
    void forgetIfClosed(Room room) {
        if (room.isClosed()) {
            rooms.remove(room.name(), room);
        }
    }
}
