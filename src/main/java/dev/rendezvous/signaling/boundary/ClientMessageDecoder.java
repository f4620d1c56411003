package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.Wire;
import dev.rendezvous.signaling.control.Settings;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import java.nio.charset.StandardCharsets;

/**
 * Reads text frames into client messages through the protocol's JSON-B codec. A frame that is not a valid message
 * becomes a {@link DecodeException} whose cause is the {@link ProtocolException} to answer; a frame over the size
 * limit becomes an {@link OversizedFrame}. The limit is enforced here, on the whole frame, rather than by the container
 * (which only cuts off far larger ones): refusing a frame that has been read completely lets the 1009 close reach the
 * client, and WildFly does not apply the container limit to decoded messages at all.
 */
public class ClientMessageDecoder implements Decoder.Text<ClientMessage> {

    private int maxMessageBytes = Integer.MAX_VALUE;

    @Override
    public void init(EndpointConfig config) {
        maxMessageBytes = CDI.current().select(Settings.class).get().limits().maxMessageBytes();
    }

    @Override
    public ClientMessage decode(String text) throws DecodeException {
        if (exceedsLimit(text)) {
            throw new OversizedFrame(maxMessageBytes);
        }
        try {
            return Wire.decode(text);
        } catch (ProtocolException refused) {
            throw new DecodeException("", refused.getMessage(), refused);
        }
    }

    @Override
    public boolean willDecode(String text) {
        return true;
    }

    private boolean exceedsLimit(String text) {
        // a char is 1-3 UTF-8 bytes (a surrogate pair, 2 chars, is 4): count exactly only when it could matter
        if ((long) text.length() * 3 <= maxMessageBytes) {
            return false;
        }
        return text.length() > maxMessageBytes || text.getBytes(StandardCharsets.UTF_8).length > maxMessageBytes;
    }

    /** A text frame larger than the configured maximum message size; the answer is close code 1009. */
    static final class OversizedFrame extends DecodeException {
        OversizedFrame(int limit) {
            super("", "a message may be at most " + limit + " bytes");
        }
    }
}
