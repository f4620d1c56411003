package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.protocol.Wire;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million frames through the decoder and the dispatcher, as the endpoint passes them, without a container (see
 * {@link Frames} for what they are). Whatever arrives, the answer is one of the documented ones: no exception escapes,
 * nothing is answered {@code internal}, every reply can be encoded, and no connection is closed (the rate limit is
 * raised out of the way). Each run takes a fresh seed and names it when it fails; {@code -Dfuzz.seed=N} runs that
 * seed again.
 */
class FuzzTest {

    private static final int FRAMES = 1_000_000;
    private static final Set<String> REPLIES = Set.of("welcome", "start", "joined", "left", "pong", "error", "peer-state",
            "peer-joined", "peer-left", "message", "offer", "answer", "candidate", "iceCandidate", "end-of-candidates",
            "renegotiate", "hangup");
    private static final Set<ErrorCode> DOCUMENTED = EnumSet.complementOf(EnumSet.of(ErrorCode.INTERNAL));

    /** Every this many frames the fourth connection is a fresh, unstarted one, for hellos and resumes to open. */
    private static final int FRESH_EVERY = 1_000;

    private final Settings settings = Settings.read(name -> Optional.ofNullable(Map.of(
            "rendezvous.rate.messages-per-second", "1000000", "rendezvous.rate.burst", "1000000",
            "rendezvous.rate.flood-close-after", "1000000").get(name)));
    private final Rooms rooms = new Rooms(3, true);
    private final Sessions sessions = new Sessions(rooms, settings, new ManualScheduler());
    private final List<FakeLink> links = new ArrayList<>(List.of(new FakeLink(), new FakeLink(), new FakeLink(), new FakeLink()));
    private List<Signaling> connections;
    private Map<String, String> ids;

    @BeforeEach
    void fourConnections() {
        connections = new ArrayList<>(links.stream().map(this::connection).toList());
        // two in a room, one started in seed mode, one that never said hello
        connections.get(0).receive(new ClientMessage.Hello("h", 1));
        connections.get(1).receive(new ClientMessage.Hello("h", 1));
        connections.get(2).receive(new ClientMessage.Start(null));
        connections.get(0).receive(Wire.decode("{\"action\":\"join\",\"data\":{\"room\":\"fz\"}}"));
        connections.get(1).receive(Wire.decode("{\"action\":\"join\",\"data\":{\"room\":\"fz\"}}"));
        ids = Map.of(Frames.ID_TOKENS.get(0), idOf(links.get(0)), Frames.ID_TOKENS.get(1), idOf(links.get(1)),
                Frames.ID_TOKENS.get(2), ((ServerMessage.Started) links.get(2).written.get(0).message()).id().value());
        links.forEach(link -> link.written.clear());
    }

    @Test
    void whateverAClientSendsIsAnsweredAsDocumented() {
        var seed = Long.getLong("fuzz.seed", System.nanoTime());
        var frames = new Frames(seed);
        var outcomes = new TreeMap<String, Integer>();
        var errors = new EnumMap<ErrorCode, Integer>(ErrorCode.class);
        for (var n = 0; n < FRAMES; n++) {
            if (n % FRESH_EVERY == 0) {
                connections.get(3).closed(1000);
                links.set(3, new FakeLink());
                connections.set(3, connection(links.get(3)));
            }
            var from = frames.sender(links.size());
            var text = withIds(frames.next());
            var why = "frame " + n + " of seed " + seed + " (-Dfuzz.seed=" + seed + "): " + abbreviated(text);
            deliver(connections.get(from), text, why);
            for (var link : links) {
                for (var frame : link.written) {
                    var message = check(frame, why);
                    outcomes.merge(message.action(), 1, Integer::sum);
                    if (message instanceof ServerMessage.Problem problem) {
                        errors.merge(problem.code(), 1, Integer::sum);
                    }
                }
                link.written.clear();
                assertEquals(List.of(), link.closes, () -> "a connection was closed after " + why);
            }
        }
        System.out.println("Fuzz seed " + seed + ": " + FRAMES + " frames; replies " + outcomes + "; errors " + errors);
        assertTrue(errors.getOrDefault(ErrorCode.BAD_REQUEST, 0) > 0 && outcomes.getOrDefault("joined", 0) > 0
                && outcomes.getOrDefault("offer", 0) > 0, "the grammar reaches refusals, joins and relays alike");
    }

    private Signaling connection(FakeLink link) {
        return new Signaling(rooms, sessions, new Gatekeeper(settings), settings, link, Runnable::run, System::nanoTime);
    }

    /** What the endpoint does with a text frame: decode it, then receive the message or answer the refusal. */
    private static void deliver(Signaling connection, String text, String why) {
        ClientMessage message;
        try {
            message = Wire.decode(text);
        } catch (ProtocolException refused) {
            connection.refuse(refused);
            return;
        } catch (RuntimeException escaped) {
            throw new AssertionError("decoding threw " + escaped + " for " + why, escaped);
        }
        try {
            connection.receive(message);
        } catch (RuntimeException escaped) {
            throw new AssertionError("dispatching threw " + escaped + " for " + why, escaped);
        }
    }

    private static ServerMessage check(Frame frame, String why) {
        String json;
        try {
            json = frame.json();
        } catch (RuntimeException unencodable) {
            throw new AssertionError("a reply cannot be encoded after " + why, unencodable);
        }
        var message = frame.message();
        assertTrue(REPLIES.contains(message.action()), () -> "undocumented reply " + json + " after " + why);
        if (message instanceof ServerMessage.Problem problem) {
            assertTrue(DOCUMENTED.contains(problem.code()), () -> "answered " + json + " after " + why);
        }
        return message;
    }

    private String withIds(String text) {
        for (var token : Frames.ID_TOKENS) {
            text = text.replace(token, ids.get(token));
        }
        return text;
    }

    private static String idOf(FakeLink link) {
        return ((ServerMessage.Welcome) link.written.get(0).message()).peerId().value();
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
    }
}
