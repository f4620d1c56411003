package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.protocol.Wire;
import jakarta.websocket.Encoder;

/** Writes server messages as text frames through the protocol's JSON-B codec. */
public class ServerMessageEncoder implements Encoder.Text<ServerMessage> {

    @Override
    public String encode(ServerMessage message) {
        return Wire.encode(message);
    }
}
