package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import static dev.rendezvous.signaling.SignalClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tutorial's protocol, unchanged: its clients must work against us as they are. */
class SeedProtocolIT {

    @Test
    void startIsAnsweredWithAServerChosenUrlSafeId() throws Exception {
        try (var ann = SignalClient.connect(); var bob = SignalClient.connect()) {
            var annStart = ann.send("{'action':'start'}").expect("start");
            var bobStart = bob.send("{'action':'start'}").expect("start");
            assertTrue(annStart.getString("id").matches("[A-Za-z0-9_-]{22}"), annStart.toString());
            assertNotEquals(annStart.getString("id"), bobStart.getString("id"));
        }
    }

    @Test
    void aCallConnectsExactlyAsTheTutorialsClientSignalsIt() throws Exception {
        try (var caller = SignalClient.started(); var callee = SignalClient.started()) {
            caller.send("{'action':'offer','data':{'remoteId':'" + callee.id() + "','offer':{'type':'offer','sdp':'v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n'}}}");
            assertEquals(json("{\"action\":\"offer\",\"from\":\"" + caller.id() + "\",\"data\":{\"offer\":"
                            + "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"},\"remoteId\":\"" + caller.id() + "\"}}"),
                    callee.next());

            callee.send("{'action':'answer','data':{'remoteId':'" + caller.id() + "','answer':{'type':'answer','sdp':'v=0\\r\\n'}}}");
            assertEquals(json("{\"action\":\"answer\",\"from\":\"" + callee.id() + "\",\"data\":{\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}}"),
                    caller.next());

            caller.send("{'action':'iceCandidate','data':{'remoteId':'" + callee.id() + "','candidate':{'candidate':'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host','sdpMid':'0','sdpMLineIndex':0}}}");
            assertEquals(json("{\"action\":\"iceCandidate\",\"from\":\"" + caller.id() + "\",\"data\":{\"candidate\":"
                            + "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}}"),
                    callee.next());

            callee.send("{'action':'candidate','data':{'remoteId':'" + caller.id() + "','candidate':{'candidate':''}}}");
            assertEquals("candidate", caller.expect("candidate").getString("action"));
        }
    }

    @Test
    void aSpoofedFromIsReplacedByTheRealSender() throws Exception {
        try (var ann = SignalClient.started(); var bob = SignalClient.started(); var carol = SignalClient.started()) {
            ann.send("{'action':'answer','from':'" + carol.id() + "','data':{'remoteId':'" + bob.id() + "','answer':{}}}");
            assertEquals(ann.id(), bob.expect("answer").getString("from"));
            carol.expectNothingElse();
        }
    }

    @Test
    void anOfferReachesOnlyTheAddressedPeer() throws Exception {
        try (var ann = SignalClient.started(); var bob = SignalClient.started(); var carol = SignalClient.started()) {
            ann.send("{'action':'offer','data':{'remoteId':'" + bob.id() + "','offer':{}}}");
            bob.expect("offer");
            carol.expectNothingElse();
            ann.expectNothingElse();
        }
    }

    @Test
    void aDirectCallCannotReachAPeerInARoom() throws Exception {
        try (var loner = SignalClient.started(); var member = SignalClient.inRoom("seed-direct-vs-room", "M")) {
            loner.send("{'action':'offer','txn':'o1','data':{'remoteId':'" + member.id() + "','offer':{}}}");
            assertEquals("o1", loner.expectError("not-same-room").getString("txn"));
            member.expectNothingElse();
        }
    }

    @Test
    void aSignalToAnUnknownPeerIsPeerNotFound() throws Exception {
        try (var ann = SignalClient.started()) {
            ann.send("{'action':'offer','txn':'x','data':{'remoteId':'AAAAAAAAAAAAAAAAAAAAAA','offer':{}}}");
            ann.expectError("peer-not-found");
        }
    }
}
