package dev.rendezvous.cluster;

/**
 * The names of everything the cluster keeps in Redis/Valkey, all under one prefix ({@code rv:} unless configured), so
 * that several clusters, or other applications, can share one server. {@code docs/scale-out.md} lists them.
 */
record Keys(String prefix) {

    /** What the keys of the room {@code name} start with: {@code <prefix>room:{<name>}:}. */
    String room(String name) {
        return prefix + "room:{" + name + "}:";
    }

    /** The names of all rooms (set). */
    String rooms() {
        return prefix + "rooms";
    }

    /**
     * A peer's whereabouts (hash: {@code node}, {@code room}, {@code session}; {@code away} once its room heard it is
     * reconnecting; {@code lost}, {@code kept-bytes} for what is kept for it).
     */
    String peer(String id) {
        return prefix + "peer:" + id;
    }

    /**
     * What the store keeps for a peer whose session may have to be taken over from a dead node (list: the frames its
     * node kept while it was detached, then those relayed to it after that node died).
     */
    String kept(String id) {
        return prefix + "kept:" + id;
    }

    /**
     * A protocol-1 session's record, by its resume token's id (hash: {@code node}, {@code peer}, and for a takeover
     * from a dead node {@code digest} of the token, {@code user}, {@code grant}).
     */
    String session(String tokenId) {
        return prefix + "session:" + tokenId;
    }

    /** A node's liveness key, alive while the node is. */
    String node(String id) {
        return prefix + "node:" + id;
    }

    /** The ids of every node that joined and was not yet reaped (set). */
    String nodes() {
        return prefix + "nodes";
    }

    /** Held by the node that frees the peers of dead node {@code id}, so that only one does. */
    String reaping(String id) {
        return prefix + "reaping:" + id;
    }

    /** The peers a node carries (set), so that the others can free them if it dies. */
    String peersOf(String node) {
        return prefix + "node-peers:" + node;
    }

    /** The channel prefix: {@code <prefix>n:}, then the node's id. */
    String channels() {
        return prefix + "n:";
    }

    /** The channel of node {@code id}. */
    String channel(String id) {
        return channels() + id;
    }
}
