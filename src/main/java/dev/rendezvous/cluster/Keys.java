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

    /** A peer's whereabouts (hash: {@code node}, {@code room}). */
    String peer(String id) {
        return prefix + "peer:" + id;
    }

    /** A protocol-1 session's record, by its resume token's id (hash: {@code node}, {@code peer}). */
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
