package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.Sequenced;

import java.util.List;

/** A detached session's frames, kept in the store of {@code cluster} too, for {@code peer}, so that they outlive this node. */
record KeptElsewhere(Cluster cluster, PeerId peer) implements Mailbox.Safekeeping {

    @Override
    public void detached(long sent, List<Sequenced> kept) {
        cluster.keep(peer, sent, kept);
    }

    @Override
    public void kept(Sequenced entry) {
        cluster.keep(peer, -1, List.of(entry));
    }

    @Override
    public void carried() {
        cluster.carried(peer);
    }
}
