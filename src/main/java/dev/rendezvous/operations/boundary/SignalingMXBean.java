package dev.rendezvous.operations.boundary;

/**
 * What an operator sees and does over JMX (jconsole, VisualVM, the server's console), as
 * {@code dev.rendezvous:type=Signaling}: the live counts, and the operations of the admin API.
 */
public interface SignalingMXBean {

    /** Protocol-1 sessions, connected or waiting for a resume. */
    int getSessions();

    int getRooms();

    /** Started peers: sessions' and seed-mode ones. */
    int getPeers();

    /** Nodes of this node's cluster alive now, this one included; 1 for a server on its own. */
    int getClusterNodes();

    /** Messages relayed from one peer on since the application started, as the metrics count them (a room message once). */
    long getMessagesRelayed();

    /**
     * Removes the peer: its socket is closed 4010 with {@code reason} (blank: "kicked by an operator"), its room hears
     * {@code peer-left} {@code kicked}, its session cannot resume.
     *
     * @return false if no such peer is connected
     */
    boolean kick(String peerId, String reason);

    /** Locks the room to newcomers ({@code room-locked}); false if there is no such room. */
    boolean lock(String room);

    boolean unlock(String room);

    /** Closes the room: every member hears {@code room-closed}; false if there is no such room. */
    boolean close(String room);
}
