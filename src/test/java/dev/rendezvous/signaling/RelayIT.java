package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.rendezvous.signaling.SignalClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Relay and messages inside rooms: the right peer, the whole payload, the server's word for the sender. */
class RelayIT {

    @Test
    void everyNegotiationActionIsRelayedToTheAddressedMemberOnly() throws Exception {
        try (var meeting = Meeting.of("relay-actions", "Ann", "Bob", "Carol")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            var carol = meeting.get(2);
            for (var action : List.of("offer", "answer", "candidate", "iceCandidate", "end-of-candidates", "renegotiate", "hangup")) {
                carol.send("{'action':'" + action + "','data':{'to':'" + ann.id() + "','sdp':'opaque','n':[1,{'x':null}]}}");
                var expectedData = action.equals("offer")
                        ? "{\"sdp\":\"opaque\",\"n\":[1,{\"x\":null}],\"remoteId\":\"" + carol.id() + "\"}"
                        : "{\"sdp\":\"opaque\",\"n\":[1,{\"x\":null}]}";
                assertEquals(json("{\"action\":\"" + action + "\",\"from\":\"" + carol.id() + "\",\"data\":" + expectedData + "}"),
                        ann.nextUnnumbered(), action);
            }
            bob.expectNothingElse();
            carol.expectNothingElse();
        }
    }

    @Test
    void remoteIdAddressesAsToDoesInsideARoom() throws Exception {
        try (var meeting = Meeting.of("relay-remote-id", "Ann", "Bob")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            bob.send("{'action':'answer','data':{'remoteId':'" + ann.id() + "','answer':{'type':'answer'}}}");
            assertEquals(bob.id(), ann.expect("answer").getString("from"));
        }
    }

    @Test
    void aMemberCannotSignalAPeerInAnotherRoom() throws Exception {
        try (var ann = SignalClient.inRoom("relay-room-a", "Ann"); var bob = SignalClient.inRoom("relay-room-b", "Bob");
             var loner = SignalClient.hello()) {
            ann.send("{'action':'offer','txn':'x1','data':{'to':'" + bob.id() + "','offer':{}}}");
            assertEquals("x1", ann.expectError("not-same-room").getString("txn"));
            ann.send("{'action':'offer','txn':'x2','data':{'to':'" + loner.id() + "','offer':{}}}");
            assertEquals("x2", ann.expectError("not-same-room").getString("txn"));
            bob.expectNothingElse();
            loner.expectNothingElse();
        }
    }

    @Test
    void aSignalToYourselfIsABadRequest() throws Exception {
        try (var ann = SignalClient.inRoom("relay-self", "Ann")) {
            ann.send("{'action':'offer','data':{'to':'" + ann.id() + "','offer':{}}}").expectError("bad-request");
        }
    }

    @Test
    void aMessageWithoutToReachesEveryOtherMemberWithTheSenderStamped() throws Exception {
        try (var meeting = Meeting.of("relay-broadcast", "Ann", "Bob", "Carol");
             var outsider = SignalClient.inRoom("relay-elsewhere", "Out")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            var carol = meeting.get(2);
            ann.send("{'action':'message','from':'" + carol.id() + "','data':{'payload':{'text':'hi all','n':1}}}");
            var expected = json("{\"action\":\"message\",\"from\":\"" + ann.id() + "\",\"data\":{\"payload\":{\"text\":\"hi all\",\"n\":1}}}");
            assertEquals(expected, bob.nextUnnumbered());
            assertEquals(expected, carol.nextUnnumbered());
            ann.expectNothingElse();
            outsider.expectNothingElse();
        }
    }

    @Test
    void aMessageWithToReachesOnlyThatMember() throws Exception {
        try (var meeting = Meeting.of("relay-direct-msg", "Ann", "Bob", "Carol")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            var carol = meeting.get(2);
            carol.send("{'action':'message','data':{'to':'" + ann.id() + "','payload':'psst'}}");
            assertEquals(json("{\"action\":\"message\",\"from\":\"" + carol.id() + "\",\"data\":{\"payload\":\"psst\"}}"), ann.nextUnnumbered());
            bob.expectNothingElse();
        }
    }

    @Test
    void aMessageWithoutToOutsideARoomIsNotInRoom() throws Exception {
        try (var ann = SignalClient.hello()) {
            ann.send("{'action':'message','txn':'m','data':{'payload':'anyone?'}}").expectError("not-in-room");
        }
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        try (var ann = SignalClient.hello()) {
            assertEquals(json("{\"action\":\"pong\",\"txn\":\"rtt-1\"}"), ann.send("{'action':'ping','txn':'rtt-1'}").nextUnnumbered());
        }
    }

    @Test
    void manyRoomsAtOnceNeverHearEachOther() throws Exception {
        var meetings = new ArrayList<Meeting>();
        try {
            for (var r = 0; r < 12; r++) {
                meetings.add(Meeting.of("crowd-" + r, "P0", "P1", "P2"));
            }
            // every member of every room broadcasts at once, then each hears exactly its two room-mates
            for (var meeting : meetings) {
                for (var member : meeting.members()) {
                    member.send("{'action':'message','data':{'payload':'" + member.id() + "'}}");
                }
            }
            for (var meeting : meetings) {
                var room = meeting.members();
                for (var member : room) {
                    var heard = new ArrayList<String>();
                    heard.add(member.expect("message").getString("from"));
                    heard.add(member.expect("message").getString("from"));
                    var mates = room.stream().filter(other -> other != member).map(SignalClient::id).sorted().toList();
                    assertEquals(mates, heard.stream().sorted().toList());
                    member.expectNothingElse();
                }
            }
        } finally {
            for (var meeting : meetings) {
                meeting.close();
            }
        }
    }
}
