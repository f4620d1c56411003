package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.Sequenced;
import jakarta.websocket.Encoder;

/**
 * Writes frames as text frames: their JSON, encoded by the protocol's JSON-B codec when the frame was made (or now,
 * on the sending thread and outside any lock, if it was deferred), with the receiving session's {@code seq} set in.
 */
public class ServerMessageEncoder implements Encoder.Text<Sequenced> {

    @Override
    public String encode(Sequenced frame) {
        return frame.json();
    }
}
