package dev.rendezvous.protocol;

/** Why a peer left a room, as {@code peer-left} tells the others. */
public enum LeaveReason {
    /** It sent {@code leave}, or joined another room. */
    LEFT("left"),
    /** Its socket closed. */
    DISCONNECTED("disconnected"),
    /** The server closed its socket after the heartbeat timeout. */
    TIMEOUT("timeout"),
    /** An operator removed it. */
    KICKED("kicked");

    private final String wireName;

    LeaveReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
