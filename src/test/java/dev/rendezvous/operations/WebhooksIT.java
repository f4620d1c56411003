package dev.rendezvous.operations;

import dev.rendezvous.access.Tokens;
import dev.rendezvous.operations.control.WebhookSignature;
import dev.rendezvous.signaling.AuthIT;
import dev.rendezvous.signaling.Server;
import dev.rendezvous.signaling.SignalClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks, against a receiver the test runs: the test deployment at {@code /rendezvous-auth-hs256} posts its room
 * events to it ({@code rendezvous.webhook.*} in {@code src/test/auth-war/hs256}), with a short backoff. Each test uses
 * a room of its own, so events of other tests' rooms (or ones still tried from before) do not count.
 */
class WebhooksIT {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final String SECRET = System.getProperty("rendezvous.webhook.secret", "rendezvous-webhook-test-secret");
    private static WebhookReceiver receiver;

    @BeforeAll
    static void receive() throws Exception {
        receiver = new WebhookReceiver(Integer.getInteger("rendezvous.webhook.port", 9099));
        AuthIT.awaitDeployment(AuthIT.HS256);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static String room() {
        return "hooks-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static SignalClient inRoom(String user, String room) throws Exception {
        var client = SignalClient.hello(Server.signalUri(AuthIT.HS256), Tokens.forTestDeployment(user, room));
        client.join(room, user);
        return client;
    }

    @Test
    void aRoomsLifeArrivesInItsOrderEveryEventSigned() throws Exception {
        var room = room();
        String annId;
        String bobId;
        try (var ann = inRoom("ann", room)) {
            annId = ann.id();
            try (var bob = inRoom("bob", room)) {
                bobId = bob.id();
                ann.expect("peer-joined");
                bob.send("{'action':'leave','txn':'l'}");
                bob.expect("left");
            }
        }

        var events = new ArrayList<WebhookReceiver.Delivery>();
        var ids = new HashSet<String>();
        while (events.size() < 6) {
            var delivery = receiver.next(room, PATIENCE);
            if (ids.add(delivery.id())) { // delivered at least once: a try whose answer was lost comes again, as documented
                events.add(delivery);
            }
        }

        assertEquals(List.of("room-started", "peer-joined", "peer-joined", "peer-left", "peer-left", "room-finished"),
                events.stream().map(WebhookReceiver.Delivery::type).toList());
        assertEquals(annId, events.get(1).event().getString("peerId"));
        assertEquals("ann", events.get(1).event().getString("userId"));
        assertEquals(bobId, events.get(2).event().getString("peerId"));
        assertEquals(bobId, events.get(3).event().getString("peerId"));
        assertEquals("left", events.get(3).event().getString("reason"));
        assertEquals(annId, events.get(4).event().getString("peerId"));
        assertEquals("disconnected", events.get(4).event().getString("reason"));
        assertFalse(events.get(0).event().containsKey("peerId"));
        assertFalse(events.get(1).event().containsKey("reason"));
        for (var delivery : events) {
            assertEquals(room, delivery.event().getString("room"));
            Instant.parse(delivery.event().getString("at"));
            assertSigned(delivery);
        }
    }

    @Test
    void aFailedDeliveryIsTriedAgainWithTheSameIdAndTheRoomsLaterEventsWaitBehindIt() throws Exception {
        var room = room();
        var tries = new AtomicInteger();
        receiver.answer(room, delivery -> delivery.type().equals("room-started") && tries.getAndIncrement() == 0 ? 500 : 200);
        try (var ann = inRoom("ann", room)) {
            var first = receiver.next(room, PATIENCE);
            var again = receiver.next(room, PATIENCE);
            var joined = receiver.next(room, PATIENCE);

            assertEquals("room-started", first.type());
            assertEquals("room-started", again.type(), "after the 500, the same event again, before anything later");
            assertEquals(first.id(), again.id());
            assertEquals(first.body(), again.body());
            assertEquals("peer-joined", joined.type());
            assertEquals(ann.id(), joined.event().getString("peerId"));
            assertSigned(again);
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerDelaysNoSignaling() throws Exception {
        var room = room();
        var release = new CountDownLatch(1);
        receiver.answer(room, WebhookReceiver.holdUntil(release));
        try (var ann = inRoom("ann", room); var bob = inRoom("bob", room)) {
            ann.expect("peer-joined");
            for (var i = 0; i < 10; i++) {
                ann.send("{'action':'offer','data':{'to':'" + bob.id() + "','description':{'type':'offer','sdp':'v=0'}}}");
                bob.expect("offer");
            }

            var held = receiver.next(room, PATIENCE);
            assertEquals("room-started", held.type());
            assertEquals(0, receiver.waiting(room),
                    "both joined and ten offers relayed while the receiver still holds the room's first event");
            release.countDown();
            assertEquals("peer-joined", receiver.next(room, PATIENCE).type());
            assertEquals("peer-joined", receiver.next(room, PATIENCE).type());
        } finally {
            release.countDown();
        }
    }

    /** The signature a receiver checks: {@code t=<seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, t recent. */
    private static void assertSigned(WebhookReceiver.Delivery delivery) {
        var header = delivery.signature();
        assertTrue(header != null && header.matches("t=[0-9]+,v1=[0-9a-f]{64}"), "Rendezvous-Signature: " + header);
        var t = Long.parseLong(header.substring(2, header.indexOf(',')));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - t) < 60, "t is now: " + t);
        assertEquals(new WebhookSignature(SECRET).header(t, delivery.body()), header, "signed with the secret");
    }
}
