package dev.rendezvous.signaling.entity;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.PeerId;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A started client: its server-chosen id, the user it signed in as (with access control on), the outbox its frames go to, and the room it is in (at most one). Once it
 * has departed (its connection closed or is being closed) no room seats it again: {@link #enter} and {@link #depart}
 * decide that under the peer's lock, so a join racing a close either seats it before the close takes it out, or is
 * refused.
 */
public final class Peer {

    /** Where a peer's frames go: queued in order, sent one at a time by the transport. */
    public interface Outbox {
        /**
         * Queues {@code frame} and never writes: what must follow (start sending, handle an overflow) is added to
         * {@code sends}, for the caller to run once it holds no lock.
         */
        void offer(Frame frame, Sends sends);
    }

    private final PeerId id;
    /** The user its token names ({@code sub}), or null when access control is off. */
    private final String userId;
    private final Outbox outbox;
    /** The node of a cluster whose connection carries it, if not this one; null for a peer of this node. */
    private final String node;
    /** Guarded by this. */
    private Room room;
    /** Guarded by this. */
    private boolean departed;
    /** Where its current connection comes from ({@code ip:port}), or null; a resume moves it. */
    private volatile String remoteAddress;
    /** What removes this peer for good when an operator kicks it; set once it started. */
    private volatile Consumer<String> removal;

    public Peer(PeerId id, Outbox outbox) {
        this(id, null, outbox);
    }

    public Peer(PeerId id, String userId, Outbox outbox) {
        this(id, userId, outbox, null);
    }

    /**
     * A member of a room shared by a cluster, carried by {@code node}: what it is sent goes to {@code outbox}, which takes
     * it there; the news of its room (joins, leaves) its own node tells it, so {@link #offerNews} passes it nothing.
     */
    public static Peer elsewhere(PeerId id, String userId, String node, Outbox outbox) {
        return new Peer(id, userId, outbox, Objects.requireNonNull(node));
    }

    private Peer(PeerId id, String userId, Outbox outbox, String node) {
        this.id = Objects.requireNonNull(id);
        this.userId = userId;
        this.outbox = Objects.requireNonNull(outbox);
        this.node = node;
    }

    public PeerId id() {
        return id;
    }

    /** The user its token names, or null when access control is off. */
    public String userId() {
        return userId;
    }

    /** The node of the cluster that carries it; null if this node does (always, without a cluster). */
    public String node() {
        return node;
    }

    /** Whether this node carries it: without a cluster, every peer. */
    public boolean isHere() {
        return node == null;
    }

    /** Where the connection that carries this peer now comes from ({@code ip:port}), or null if unknown. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** The peer is carried by a connection from {@code remoteAddress} now. */
    public void connectedFrom(String remoteAddress) {
        this.remoteAddress = remoteAddress;
    }

    /** Queues {@code frame}; what follows runs when the caller runs {@code sends}. */
    public void offer(Frame frame, Sends sends) {
        outbox.offer(frame, sends);
    }

    /**
     * Queues {@code frame}, news of its room that every node tells its own peers: only if this node carries the peer.
     */
    public void offerNews(Frame frame, Sends sends) {
        if (node == null) {
            outbox.offer(frame, sends);
        }
    }

    /** Sends {@code frame}: queues it and starts sending; call holding no lock. */
    public void send(Frame frame) {
        var sends = new Sends();
        outbox.offer(frame, sends);
        sends.run();
    }

    /** From now on {@link #kick} removes this peer by {@code removal}, which is given the operator's reason. */
    public void removableBy(Consumer<String> removal) {
        this.removal = removal;
    }

    /** Removes this peer for good on an operator's word; false if nothing can (it never started). */
    public boolean kick(String reason) {
        var remove = removal;
        if (remove == null) {
            return false;
        }
        remove.accept(reason);
        return true;
    }

    /** The room this peer is in, or null. */
    public synchronized Room room() {
        return room;
    }

    public synchronized boolean hasDeparted() {
        return departed;
    }

    /**
     * Queues {@code frame} for this peer if it is in no room and has not departed: a direct call, decided under the
     * same lock that {@link #enter} takes, so it cannot slip in after the peer's {@code joined}.
     *
     * @return whether it was queued
     */
    public synchronized boolean offerOutsideRooms(Frame frame, Sends sends) {
        if (room != null || departed) {
            return false;
        }
        outbox.offer(frame, sends);
        return true;
    }

    /**
     * Marks this peer as gone for good: from now on no room seats it.
     *
     * @return the room it was in, the first time; null if it was in none or had departed already
     */
    public synchronized Room depart() {
        if (departed) {
            return null;
        }
        departed = true;
        return room;
    }

    /** Called by {@code room} as it seats this peer, holding the room's lock; false, changing nothing, if it departed. */
    synchronized boolean enter(Room next) {
        if (departed) {
            return false;
        }
        room = next;
        return true;
    }

    /** Called by {@code left} as it unseats this peer, holding the room's lock. */
    synchronized void exit(Room left) {
        if (room == left) {
            room = null;
        }
    }

    @Override
    public String toString() {
        return node == null ? "peer " + id : "peer " + id + " on node " + node;
    }
}
