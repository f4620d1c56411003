package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Sends;

/**
 * The outbox of a member of {@code room} that another node carries: what it is offered goes to that node once the
 * offering lock is released, in the order offered, by one message through the cluster; if the cluster loses it, the
 * sender of the operation that offered it is told ({@link Sends#lost}).
 */
record Elsewhere(Cluster cluster, String node, PeerId peer, RoomName room) implements Peer.Outbox {

    @Override
    public void offer(Frame frame, Sends sends) {
        var lost = sends.lost();
        sends.add(() -> cluster.relay(node, peer, room, frame, lost));
    }
}
