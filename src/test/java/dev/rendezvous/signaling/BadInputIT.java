package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Malformed messages get an error and nothing else: the socket stays open and nobody else is touched. */
class BadInputIT {

    @Test
    void whatIsNotAJsonObjectIsABadRequestAndTheSocketStaysOpen() throws Exception {
        try (var ann = SignalClient.hello(); var bob = SignalClient.hello()) {
            for (var garbage : List.of("not json", "[1,2,3]", "\"hello\"", "42", "{\"action\":", "{}", "")) {
                ann.sendRaw(garbage).expectError("bad-request");
            }
            ann.expectNothingElse();
            bob.expectNothingElse();
        }
    }

    @Test
    void fieldsOfTheWrongTypeAreABadRequestEchoingTheTxn() throws Exception {
        try (var ann = SignalClient.hello()) {
            for (var wrong : List.of("{'action':'join','txn':'w','data':{'room':42}}", "{'action':'join','txn':'w','data':'room'}",
                    "{'action':'join','txn':'w','data':{'room':'r','displayName':7}}",
                    "{'action':'offer','txn':'w','data':{'to':5}}", "{'action':'offer','txn':'w','data':{}}",
                    "{'action':'message','txn':'w','data':{}}", "{'action':'hello','txn':'w','data':{'protocol':'one'}}")) {
                assertEquals("w", ann.send(wrong).expectError("bad-request").getString("txn"), wrong);
            }
        }
    }

    @Test
    void anUnknownActionIsUnknownAction() throws Exception {
        try (var ann = SignalClient.hello()) {
            assertEquals("u", ann.send("{'action':'teleport','txn':'u'}").expectError("unknown-action").getString("txn"));
        }
    }

    @Test
    void errorsNeverReachOtherPeersAndTheirCallsGoOn() throws Exception {
        try (var meeting = Meeting.of("bad-input-bystanders", "Ann", "Bob", "Mallory")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            var mallory = meeting.get(2);
            mallory.sendRaw("{{{").expectError("bad-request");
            mallory.send("{'action':'offer','data':{'to':'nope/nope'}}").expectError("bad-request");
            ann.send("{'action':'offer','data':{'to':'" + bob.id() + "','offer':{'sdp':'x'}}}");
            assertEquals(ann.id(), bob.expect("offer").getString("from"));
            ann.expectNothingElse();
        }
    }
}
