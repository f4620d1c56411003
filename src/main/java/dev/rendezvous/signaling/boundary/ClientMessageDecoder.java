package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.Wire;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import java.nio.charset.StandardCharsets;

/**
 * Reads text frames into client messages through the protocol's codec ({@link Wire}). A frame that is not a valid message
 * becomes a {@link DecodeException} whose cause is the {@link ProtocolException} to answer; a frame over the size
 * limit becomes an {@link OversizedFrame}. The limit is enforced here, on the whole frame, as well as by the container,
 * which cuts off only frames four times larger: refusing a frame that has been read completely lets the 1009 close
 * reach the client. (The container's limit is the one that bounds memory while a frame arrives, on the containers whose
 * connections take whole messages; see {@link SignalingEndpoint}.)
 *
 * <p>The limit comes from the endpoint's {@link Handshake}, which holds what every connection shares, and never from a
 * CDI lookup: Open Liberty initializes a decoder for every message (a lookup each time was an eighth of its relay CPU),
 * and WildFly, running handlers on its I/O threads, has no CDI context there.
 */
public class ClientMessageDecoder implements Decoder.Text<ClientMessage> {

    private int maxMessageBytes;

    @Override
    public void init(EndpointConfig config) {
        maxMessageBytes = Handshake.of(config).maxMessageBytes();
    }

    @Override
    public ClientMessage decode(String text) throws DecodeException {
        if (couldExceed(text, maxMessageBytes) && utf8Length(text) > maxMessageBytes) {
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

    /** Whether {@code text} could be over {@code limit} UTF-8 bytes: a char is 1-3 of them (a surrogate pair, 2 chars, is 4). */
    private static boolean couldExceed(String text, int limit) {
        return (long) text.length() * 3 > limit;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A text frame larger than the configured maximum message size; the answer is close code 1009. */
    static final class OversizedFrame extends DecodeException {
        OversizedFrame(int limit) {
            super("", "a message may be at most " + limit + " bytes");
        }
    }
}
