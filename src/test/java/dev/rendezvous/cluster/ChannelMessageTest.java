package dev.rendezvous.cluster;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import jakarta.json.Json;
import dev.rendezvous.signaling.control.Cluster;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The handover of a session taken over from a dead node, as takeover.lua publishes it (Lua's cjson, not Java's). */
class ChannelMessageTest {

    /** Catches the handover a channel message carries. */
    private static Cluster.Handover handover(String text) {
        var caught = new ArrayList<Cluster.Handover>();
        ChannelMessage.parse(text).handledBy(new ChannelMessage.Handler() {
            public void joined(ChannelMessage.Joined joined) { }
            public void left(ChannelMessage.Left left) { }
            public void closed(ChannelMessage.Closed closed) { }
            public void away(ChannelMessage.Away away) { }
            public void kick(ChannelMessage.Kick kick) { }
            public void release(ChannelMessage.Release release) { }
            public void released(ChannelMessage.Released released) {
                caught.add(released.handover());
            }
            public void moved(ChannelMessage.Moved moved) { }
            public void forwarded(ChannelMessage.Forwarded forwarded) { }
            public void relay(ChannelMessage.Relay relay) { }
        });
        assertEquals(1, caught.size(), "not a released message: " + text);
        return caught.get(0);
    }

    @Test
    void aTakeoverWithNothingKeptAndAGrantOfNoRoomsReadsCjsonsEmptyTablesAsEmptyLists() {
        var taken = handover("""
                {"type":"released","req":"r1","outcome":"ok","peer":"p1","lastSeq":4,"detached":false,"frames":{},"late":{},\
                "grant":{"user":"u1","rooms":{},"any":true}}""");

        assertEquals(new PeerId("p1"), taken.peer());
        assertEquals(4, taken.lastSeq());
        assertEquals(List.of(), taken.frames());
        assertEquals("u1", taken.grant().userId());
        assertEquals(true, taken.grant().anyRoom());
        assertNull(taken.room());
    }

    @Test
    void whatReachedAPeerAfterItsNodeDiedBecomesTheFramesItsNodeWouldHaveSentInOrder() {
        var kept = "{\"action\":\"message\",\"from\":\"p2\",\"data\":{\"payload\":\"kept\"}}";
        var late = "{\"action\":\"message\",\"from\":\"p2\",\"data\":{\"payload\":\"late\"}}";
        var joined = "{\"type\":\"joined\",\"room\":\"r\",\"seq\":5,\"capacity\":4,"
                + "\"member\":{\"peer\":\"p3\",\"node\":\"n2\",\"name\":\"Cat\"},\"earlier\":{}}";
        var ownMove = "{\"type\":\"moved\",\"room\":\"r\",\"seq\":6,\"peer\":\"p1\",\"node\":\"n2\",\"back\":true}";
        var left = "{\"type\":\"left\",\"room\":\"r\",\"seq\":7,\"peer\":\"p2\",\"reason\":\"timeout\"}";
        var released = Json.createObjectBuilder().add("type", "released").add("req", "r1").add("outcome", "ok")
                .add("peer", "p1").add("lastSeq", 2).add("detached", true)
                .add("frames", Json.createArrayBuilder().add(kept))
                .add("late", Json.createArrayBuilder().add("- " + late).add("N " + joined).add("N " + ownMove).add("N " + left))
                .add("room", "r").add("capacity", 4)
                .add("members", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("peer", "p1").add("node", "n2"))
                        .add(Json.createObjectBuilder().add("peer", "p3").add("node", "n2").add("name", "Cat")))
                .build().toString();

        var taken = handover(released);

        assertEquals(List.of(kept, late,
                        Frame.of(new ServerMessage.PeerJoined(new RoomName("r"), new Member(new PeerId("p3"), new DisplayName("Cat"), false, null))).json(),
                        Frame.of(new ServerMessage.PeerLeft(new RoomName("r"), new PeerId("p2"), LeaveReason.TIMEOUT)).json()),
                taken.frames(), "its own move is nothing to it");
        assertEquals(new RoomName("r"), taken.room());
        assertEquals(2, taken.members().size());
    }

    @Test
    void anEntryKeptForAPeerThatIsNeitherARelayNorNewsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> handover("""
                {"type":"released","req":"r1","outcome":"ok","peer":"p1","lastSeq":0,"detached":false,"frames":[],"late":["X what"]}"""));
    }
}
