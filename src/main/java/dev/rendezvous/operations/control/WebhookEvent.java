package dev.rendezvous.operations.control;

import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import jakarta.json.Json;

import java.time.Instant;

/**
 * One room event as a webhook receiver gets it: {@code {"id","type","at","room","peerId"?,"reason"?,"userId"?}}; the
 * peer's fields only for {@code peer-joined} and {@code peer-left}, {@code reason} only for {@code peer-left},
 * {@code userId} only with access control on. Tries again carry the same {@code id}.
 */
record WebhookEvent(String id, String type, Instant at, RoomName room, PeerId peerId, LeaveReason reason, String userId) {

    static final String ROOM_STARTED = "room-started";
    static final String ROOM_FINISHED = "room-finished";
    static final String PEER_JOINED = "peer-joined";
    static final String PEER_LEFT = "peer-left";

    String json() {
        var json = Json.createObjectBuilder()
                .add("id", id)
                .add("type", type)
                .add("at", at.toString())
                .add("room", room.value());
        if (peerId != null) {
            json.add("peerId", peerId.value());
        }
        if (reason != null) {
            json.add("reason", reason.wireName());
        }
        if (userId != null) {
            json.add("userId", userId);
        }
        return json.build().toString();
    }
}
