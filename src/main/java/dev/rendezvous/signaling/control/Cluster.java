package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;

import dev.rendezvous.signaling.entity.Room;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
     * if it is still a member of {@code room} (or, with {@code room} null, still in no room, for a direct call).
     */
    default void relay(String node, PeerId to, RoomName room, Frame frame) {
        throw new UnsupportedOperationException("a node on its own relays nothing elsewhere");
    }
}
