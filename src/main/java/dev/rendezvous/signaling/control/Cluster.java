package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.Sequenced;

import dev.rendezvous.access.Grant;
import dev.rendezvous.signaling.entity.Room;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What this node's {@link Rooms} ask of the other nodes of a cluster: seats claimed atomically across all of them,
 * where a peer is, and frames carried to a peer on another node. An implementation tells the rooms what the others
 * decided through their {@link ClusterNews} ({@link Rooms#news}), from one thread, in the order the shared store
 * decided it. {@link #ALONE} is a node on its
 * own, as without configuration: nothing leaves the process.
 */
public interface Cluster {

    /** How a claim for a seat ended. */
    enum Claim {
        /** Seated; the news of it comes back through {@link ClusterNews#seated}, to this node too. */
        JOINED,
        /** It was a member already; no news follows. */
        AGAIN,
        FULL,
        LOCKED
    }

    /**
     * A member of a shared room as the store keeps it: who, which node carries it, and, for operators, when it joined
     * and from where ({@code ip:port}, null if unknown).
     */
    record Member(PeerId peer, DisplayName displayName, String userId, String node, Instant joinedAt, String remoteAddress) {

        public Member(PeerId peer, DisplayName displayName, String userId, String node) {
            this(peer, displayName, userId, node, null, null);
        }
    }

    /** A seat this node's peer holds in a room of {@code capacity}, as the store must hold it too. */
    record Seat(RoomName room, int capacity, Member member) {
    }

    /** How many nodes are alive now, this one included (1 for a node on its own). */
    default int nodes() {
        return 1;
    }

    /** Every room of the cluster with its members on every node, by room name, as the store holds them. */
    default CompletionStage<List<Room.Snapshot>> snapshot() {
        return CompletableFuture.completedFuture(List.of());
    }

    /** Asks {@code node} to remove its peer {@code peer} for good, as {@link Rooms#kick(PeerId, String)} does there. */
    default void kick(String node, PeerId peer, String reason) {
        throw new UnsupportedOperationException("a node on its own kicks its own peers");
    }

    /**
     * What the node that held a session hands over to the node its client resumed on: {@code outcome} {@code ok} with
     * the session's peer, grant (null with access control off), the frames sent after {@code lastSeq} (JSON, oldest
     * first; the taker numbers them on from {@code lastSeq} + 1), its room with its members in join order (the peer
     * among them), and whether it was detached; or {@code unknown}, {@code gap}, {@code ahead} and nothing else.
     */
    record Handover(String outcome, PeerId peer, String userId, Grant grant, long lastSeq, List<String> frames,
                    RoomName room, int capacity, List<Member> members, boolean detached) {

        public static final String OK = "ok";

        /** A refusal: {@code unknown}, {@code gap} or {@code ahead}. */
        public static Handover refused(String outcome) {
            return new Handover(outcome, null, null, null, 0, List.of(), null, 0, List.of(), false);
        }
    }

    /**
     * The session of {@code tokenId} (whose whole token is {@code token}) is held by this node, as peer {@code peer}
     * with {@code grant} (null with access control off); {@code previousTokenId} (or null) is gone. The store keeps
     * enough of it for another node to take it over should this one die.
     */
    default void sessionHeld(String tokenId, String token, String previousTokenId, PeerId peer, Grant grant) {
    }

    /**
     * Keeps in the store, for {@code peer}, detached here, the frames it may have to be sent again should this node
     * die before its client resumes: with {@code sent} at least 0, it was just detached, having been sent frames up to
     * that number, and {@code frames} are those its session keeps; else {@code frames} were sent since. It is called
     * holding the session's mailbox's lock, so in the order of the frames: it only enqueues.
     */
    default void keep(PeerId peer, long sent, List<Sequenced> frames) {
    }

    /** A connection carries {@code peer}'s session again: nothing need be kept for it in the store. Only enqueues. */
    default void carried(PeerId peer) {
    }

    /** The session of {@code tokenId} is gone from this node (ended, or handed over). */
    default void sessionEnded(String tokenId) {
    }

    /**
     * Asks the node that holds the session of {@code tokenId} to hand it over to this one, its client having read up
     * to {@code lastSeq}, or, if that node does not answer (it died, whether seen dead yet or not), takes the session
     * over from the store; completes with null if no other node holds it, and fails if the store cannot be reached or
     * the holder does not answer in time. {@code onArrival} runs
     * with an {@code ok} handover on the thread that applies the cluster's news, before anything that arrives after it,
     * so the taken peer is in place for the frames that follow.
     */
    default CompletionStage<Handover> takeOver(String tokenId, String token, long lastSeq, Consumer<Handover> onArrival) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Answers {@code node}'s request {@code request} with {@code handover}. It may be called holding a lock (the
     * session's mailbox's, so that what is forwarded after it goes out after it): it only enqueues.
     */
    default void handOver(String node, String request, Handover handover) {
        throw new UnsupportedOperationException("a node on its own hands nothing over");
    }

    /** Carries {@code frame} to {@code to}, a peer that moved to {@code node}, which queues it whatever room it is in. */
    default void forward(String node, PeerId to, Frame frame) {
        throw new UnsupportedOperationException("a node on its own forwards nothing");
    }

    /**
     * Tells the store, and the nodes of {@code room} (null if none), that {@code peer} moved from this node to
     * {@code node}; if it had been {@code back} from a detach, its room hears it is {@code connected}.
     */
    default void moved(PeerId peer, RoomName room, String node, boolean back) {
        throw new UnsupportedOperationException("a node on its own moves nothing");
    }

    /** Where a peer of the cluster is: the node that carries it, and its room (null if it is in none). */
    record Whereabouts(String node, RoomName room) {
    }

    /** Where a peer the cluster does not know is: nowhere. */
    CompletionStage<Whereabouts> NOWHERE = CompletableFuture.completedFuture(null);

    Cluster ALONE = new Cluster() {
        @Override
        public boolean on() {
            return false;
        }

        @Override
        public String node() {
            return null;
        }
    };

    /** Whether this node shares its rooms with others; when false nothing else here is called. */
    boolean on();

    /** This node's id in the cluster; null when it is on its own. */
    String node();

    /** Whether the store the nodes share answered the last time it was asked: when not, reaching other nodes fails. */
    default boolean reachable() {
        return true;
    }

    /** Claims a seat in {@code room} (of {@code capacity}) for {@code member}; {@code txn} goes with the news. */
    default CompletionStage<Claim> join(RoomName room, Member member, int capacity, String txn) {
        throw new UnsupportedOperationException("a node on its own claims no seats");
    }

    /** Gives up {@code peer}'s seat in {@code room}; whether it had one. The news comes back through {@link ClusterNews#unseated}. */
    default CompletionStage<Boolean> leave(RoomName room, PeerId peer, LeaveReason reason) {
        return CompletableFuture.completedFuture(false);
    }

    /** Locks {@code room} to newcomers on every node, or opens it again. */
    default CompletionStage<Boolean> lock(RoomName room, boolean locked) {
        return CompletableFuture.completedFuture(false);
    }

    /** Closes {@code room} on every node; how many members it had, -1 if none. */
    default CompletionStage<Long> close(RoomName room) {
        return CompletableFuture.completedFuture(-1L);
    }

    /** {@code peer} started on this node: the others can find it once this completes. */
    default CompletionStage<Void> arrived(PeerId peer) {
        return CompletableFuture.completedFuture(null);
    }

    /** {@code peer}, of this node, is gone for good. */
    default void departed(PeerId peer) {
    }

    /** Where {@code peer}, carried by another node, is; completes with null if no node carries it. */
    default CompletionStage<Whereabouts> locate(PeerId peer) {
        return NOWHERE;
    }

    /**
     * Carries {@code frame} to {@code to} on {@code node}, in the order of the calls: there it is queued for {@code to}
     * if it is still a member of {@code room} (or, with {@code room} null, still in no room, for a direct call). If the
     * store did not take it in time (it may still arrive), {@code lost} runs, later, on the thread that applies the
     * cluster's news.
     */
    default void relay(String node, PeerId to, RoomName room, Frame frame, Runnable lost) {
        throw new UnsupportedOperationException("a node on its own relays nothing elsewhere");
    }
}
