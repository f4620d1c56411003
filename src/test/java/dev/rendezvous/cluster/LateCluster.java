package dev.rendezvous.cluster;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.control.Cluster;

import java.util.concurrent.CompletionStage;

/** A cluster set after the rooms that use it are made, as CDI's proxy is: the two need each other. */
final class LateCluster implements Cluster {

    volatile Cluster target;

    @Override
    public boolean on() {
        return target.on();
    }

    @Override
    public String node() {
        return target.node();
    }

    @Override
    public boolean reachable() {
        return target.reachable();
    }

    @Override
    public CompletionStage<Claim> join(RoomName room, Member member, int capacity, String txn) {
        return target.join(room, member, capacity, txn);
    }

    @Override
    public int nodes() {
        return target.nodes();
    }

    @Override
    public CompletionStage<java.util.List<dev.rendezvous.signaling.entity.Room.Snapshot>> snapshot() {
        return target.snapshot();
    }

    @Override
    public void kick(String node, PeerId peer, String reason) {
        target.kick(node, peer, reason);
    }

    @Override
    public CompletionStage<Boolean> leave(RoomName room, PeerId peer, LeaveReason reason) {
        return target.leave(room, peer, reason);
    }

    @Override
    public CompletionStage<Boolean> lock(RoomName room, boolean locked) {
        return target.lock(room, locked);
    }

    @Override
    public CompletionStage<Long> close(RoomName room) {
        return target.close(room);
    }

    @Override
    public CompletionStage<Void> arrived(PeerId peer) {
        return target.arrived(peer);
    }

    @Override
    public void departed(PeerId peer) {
        target.departed(peer);
    }

    @Override
    public CompletionStage<Whereabouts> locate(PeerId peer) {
        return target.locate(peer);
    }

    @Override
    public void sessionHeld(String tokenId, String token, String previousTokenId, PeerId peer, dev.rendezvous.access.Grant grant) {
        target.sessionHeld(tokenId, token, previousTokenId, peer, grant);
    }

    @Override
    public void keep(PeerId peer, long sent, java.util.List<dev.rendezvous.protocol.Sequenced> frames) {
        target.keep(peer, sent, frames);
    }

    @Override
    public void carried(PeerId peer) {
        target.carried(peer);
    }

    @Override
    public void sessionEnded(String tokenId) {
        target.sessionEnded(tokenId);
    }

    @Override
    public CompletionStage<Handover> takeOver(String tokenId, String token, long lastSeq, java.util.function.Consumer<Handover> onArrival) {
        return target.takeOver(tokenId, token, lastSeq, onArrival);
    }

    @Override
    public void handOver(String node, String request, Handover handover) {
        target.handOver(node, request, handover);
    }

    @Override
    public void forward(String node, PeerId to, Frame frame) {
        target.forward(node, to, frame);
    }

    @Override
    public void moved(PeerId peer, RoomName room, String node, boolean back) {
        target.moved(peer, room, node, back);
    }

    @Override
    public void relay(String node, PeerId to, RoomName room, Frame frame, Runnable lost) {
        target.relay(node, to, room, frame, lost);
    }
}
