package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.Frame;
import jakarta.websocket.Encoder;

/**
 * Writes frames as text frames: their JSON, encoded by the protocol's JSON-B codec when the frame was made, or now,
 * on the sending thread and outside any lock, if it was deferred.
 */
public class ServerMessageEncoder implements Encoder.Text<Frame> {

    @Override
    public String encode(Frame frame) {
        return frame.json();
    }
}
