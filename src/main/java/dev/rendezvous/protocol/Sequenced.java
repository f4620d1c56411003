package dev.rendezvous.protocol;

/**
 * A frame as one session receives it: with its place in that session's sequence, the top-level {@code seq} a client
 * acknowledges and resumes from; 0 for a frame that is not numbered ({@code welcome}, and every frame of a seed-mode
 * or unstarted connection). The frame's JSON is shared by all its receivers; the number is set in as it is written.
 */
public record Sequenced(Frame frame, long seq) {

    /** The JSON text to send. */
    public String json() {
        var text = frame.json();
        return seq == 0 ? text : "{\"seq\":" + seq + "," + text.substring(1);
    }
}
