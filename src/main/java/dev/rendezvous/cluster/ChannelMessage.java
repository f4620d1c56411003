package dev.rendezvous.cluster;

import dev.rendezvous.access.Grant;
import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.control.Cluster;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What arrives on a node's channel: the news the room scripts publish (JSON: {@code joined}, {@code left},
 * {@code away}, {@code closed}), and the frames other nodes relay to its peers ({@code R <to> <room or -> <frame JSON>}, a header the
 * frame is not parsed for). Anything else is {@link IllegalArgumentException}: the caller logs it and goes on.
 */
sealed interface ChannelMessage {

    /** What handles each kind: one method per kind, so a new kind does not compile until it is handled. */
    interface Handler {
        void joined(Joined joined);

        void left(Left left);

        void closed(Closed closed);

        void away(Away away);

        void kick(Kick kick);

        void release(Release release);

        void released(Released released);

        void moved(Moved moved);

        void forwarded(Forwarded forwarded);

        void relay(Relay relay);
    }

    /** Hands this message to {@code handler}'s method for its kind. */
    void handledBy(Handler handler);

    /** {@code member} took a seat in {@code room} after {@code earlier}; {@code txn} is its join's. */
    record Joined(RoomName room, long seq, int capacity, Cluster.Member member, String txn, List<Cluster.Member> earlier)
            implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.joined(this);
        }
    }

    record Left(RoomName room, long seq, PeerId peer, LeaveReason reason) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.left(this);
        }
    }

    /** The node of {@code peer}, a member of {@code room}, died: the peer is reconnecting, for the grace. */
    record Away(RoomName room, long seq, PeerId peer) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.away(this);
        }
    }

    /** An operator removes {@code peer}, of the receiving node, for good; its socket is closed 4010 with {@code reason}. */
    record Kick(PeerId peer, String reason) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.kick(this);
        }

        String encode() {
            var kick = Json.createObjectBuilder().add("type", "kick").add("peer", peer.value());
            if (reason != null) {
                kick.add("reason", reason);
            }
            return kick.build().toString();
        }
    }

    /** Node {@code from} asks for the session of {@code token} (its request {@code request}); its client read up to {@code lastSeq}. */
    record Release(String token, long lastSeq, String from, String request) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.release(this);
        }

        String encode() {
            return Json.createObjectBuilder().add("type", "release").add("token", token).add("lastSeq", lastSeq)
                    .add("from", from).add("req", request).build().toString();
        }
    }

    /** The answer to the request {@code request}: the session handed over, or why not. */
    record Released(String request, Cluster.Handover handover) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.released(this);
        }

        String encode() {
            var json = Json.createObjectBuilder().add("type", "released").add("req", request).add("outcome", handover.outcome());
            if (Cluster.Handover.OK.equals(handover.outcome())) {
                json.add("peer", handover.peer().value()).add("lastSeq", handover.lastSeq()).add("detached", handover.detached());
                if (handover.userId() != null) {
                    json.add("user", handover.userId());
                }
                if (handover.grant() != null) {
                    json.add("grant", grant(handover.grant()));
                }
                var frames = Json.createArrayBuilder();
                handover.frames().forEach(frames::add);
                json.add("frames", frames);
                if (handover.room() != null) {
                    var members = Json.createArrayBuilder();
                    handover.members().forEach(member -> members.add(Json.createReader(new StringReader(record(member))).readObject()));
                    json.add("room", handover.room().value()).add("capacity", handover.capacity()).add("members", members);
                }
            }
            return json.build().toString();
        }
    }

    /** {@code peer}, a member of {@code room}, is carried by {@code node} now; {@code back}: it came back from a detach. */
    record Moved(RoomName room, long seq, PeerId peer, String node, boolean back) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.moved(this);
        }
    }

    /** {@code frame} for {@code to}, which moved to the receiving node: forwarded by the node it left. */
    record Forwarded(PeerId to, String frame) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.forwarded(this);
        }

        String encode() {
            return "F " + to.value() + " " + frame;
        }
    }

    record Closed(RoomName room) implements ChannelMessage {
        @Override
        public void handledBy(Handler handler) {
            handler.closed(this);
        }
    }

    /** {@code frame} for {@code to}, a member of {@code room} (null: a direct call outside rooms). */
    record Relay(PeerId to, RoomName room, String frame) implements ChannelMessage {

        @Override
        public void handledBy(Handler handler) {
            handler.relay(this);
        }

        String encode() {
            return "R " + to.value() + " " + (room == null ? "-" : room.value()) + " " + frame;
        }
    }

    static ChannelMessage parse(String text) {
        try {
            if (text.startsWith("F ")) {
                var afterTo = text.indexOf(' ', 2);
                return new Forwarded(new PeerId(text.substring(2, afterTo)), text.substring(afterTo + 1));
            }
            return text.startsWith("R ") ? relay(text) : news(text);
        } catch (RuntimeException corrupt) { // a JSON or a field error: the same to the caller
            throw new IllegalArgumentException("not a message of this cluster: " + abbreviated(text), corrupt);
        }
    }

    private static Relay relay(String text) {
        var afterTo = text.indexOf(' ', 2);
        var afterRoom = text.indexOf(' ', afterTo + 1);
        var room = text.substring(afterTo + 1, afterRoom);
        return new Relay(new PeerId(text.substring(2, afterTo)), room.equals("-") ? null : new RoomName(room),
                text.substring(afterRoom + 1));
    }

    private static ChannelMessage news(String text) {
        JsonObject news;
        try (var reader = Json.createReader(new StringReader(text))) {
            news = reader.readObject();
        }
        switch (news.getString("type")) {
            case "kick" -> {
                return new Kick(new PeerId(news.getString("peer")), news.getString("reason", null));
            }
            case "release" -> {
                return new Release(news.getString("token"), news.getJsonNumber("lastSeq").longValueExact(),
                        news.getString("from"), news.getString("req"));
            }
            case "released" -> {
                return new Released(news.getString("req"), handover(news));
            }
            default -> {
                // news of a room: below
            }
        }
        var room = new RoomName(news.getString("room"));
        return switch (news.getString("type")) {
            case "joined" -> new Joined(room, news.getJsonNumber("seq").longValueExact(), news.getInt("capacity"),
                    member(news.getJsonObject("member")), news.getString("txn", null), members(news.get("earlier")));
            case "left" -> new Left(room, news.getJsonNumber("seq").longValueExact(), new PeerId(news.getString("peer")),
                    reason(news.getString("reason")));
            case "closed" -> new Closed(room);
            case "moved" -> new Moved(room, news.getJsonNumber("seq").longValueExact(), new PeerId(news.getString("peer")),
                    news.getString("node"), news.getBoolean("back"));
            case "away" -> new Away(room, news.getJsonNumber("seq").longValueExact(), new PeerId(news.getString("peer")));
            default -> throw new IllegalArgumentException("unknown news " + news.getString("type"));
        };
    }

    private static Cluster.Handover handover(JsonObject json) {
        var outcome = json.getString("outcome");
        if (!Cluster.Handover.OK.equals(outcome)) {
            return Cluster.Handover.refused(outcome);
        }
        var granted = json.getJsonObject("grant");
        var grant = granted == null ? null : grant(granted);
        var peer = new PeerId(json.getString("peer"));
        var frames = new ArrayList<>(strings(json.get("frames")));
        if (json.containsKey("late")) { // taken over from a dead node: what reached the peer since
            frames.addAll(Missed.frames(peer, strings(json.get("late"))));
        }
        var room = json.getString("room", null);
        return new Cluster.Handover(outcome, peer, json.getString("user", null), grant,
                json.getJsonNumber("lastSeq").longValueExact(), List.copyOf(frames), room == null ? null : new RoomName(room),
                room == null ? 0 : json.getInt("capacity"), room == null ? List.of() : members(json.get("members")),
                json.getBoolean("detached"));
    }

    /** A member record as the joining node wrote it ({@link #record}). */
    static Cluster.Member member(JsonObject record) {
        var name = record.getString("name", null);
        var at = record.getJsonNumber("at");
        return new Cluster.Member(new PeerId(record.getString("peer")), name == null ? null : new DisplayName(name),
                record.getString("user", null), record.getString("node"),
                at == null ? null : Instant.ofEpochMilli(at.longValueExact()), record.getString("from", null));
    }

    /** The member record {@code json}, as the store keeps it. */
    static Cluster.Member member(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return member(reader.readObject());
        } catch (RuntimeException corrupt) {
            throw new IllegalArgumentException("not a member record of this cluster: " + abbreviated(json), corrupt);
        }
    }

    /** A grant as the store and the handover carry it: JSON with {@code user}, {@code rooms}, {@code any}, {@code name}. */
    static JsonObject grant(Grant grant) {
        var rooms = Json.createArrayBuilder();
        grant.rooms().forEach(room -> rooms.add(room.value()));
        var granted = Json.createObjectBuilder().add("user", grant.userId()).add("rooms", rooms).add("any", grant.anyRoom());
        if (grant.name() != null) {
            granted.add("name", grant.name().value());
        }
        return granted.build();
    }

    private static Grant grant(JsonObject granted) {
        var rooms = strings(granted.get("rooms")).stream().map(RoomName::new).collect(Collectors.toSet());
        var name = granted.getString("name", null);
        return new Grant(granted.getString("user"), name == null ? null : new DisplayName(name), rooms, granted.getBoolean("any"));
    }

    /** Strings: a JSON array, or, when there are none, what Lua's cjson makes of an empty table ({@code {}}). */
    private static List<String> strings(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            if (value instanceof JsonObject object && object.isEmpty()) {
                return List.of();
            }
            throw new IllegalArgumentException("not a list of strings: " + value);
        }
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    /** The earlier members: a JSON array, or, when there are none, what Lua's cjson makes of an empty table ({@code {}}). */
    private static List<Cluster.Member> members(JsonValue earlier) {
        if (!(earlier instanceof JsonArray array)) {
            return List.of();
        }
        var members = new ArrayList<Cluster.Member>(array.size());
        for (var record : array.getValuesAs(JsonObject.class)) {
            members.add(member(record));
        }
        return members;
    }

    private static LeaveReason reason(String wireName) {
        for (var reason : LeaveReason.values()) {
            if (reason.wireName().equals(wireName)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown leave reason " + wireName);
    }

    /**
     * The record of a member as the store keeps it: JSON with {@code peer}, {@code node}, {@code name}, {@code user},
     * {@code at} (when it joined, ms since the epoch) and {@code from} ({@code ip:port}).
     */
    static String record(Cluster.Member member) {
        var record = Json.createObjectBuilder()
                .add("peer", member.peer().value())
                .add("node", member.node());
        if (member.displayName() != null) {
            record.add("name", member.displayName().value());
        }
        if (member.userId() != null) {
            record.add("user", member.userId());
        }
        if (member.joinedAt() != null) {
            record.add("at", member.joinedAt().toEpochMilli());
        }
        if (member.remoteAddress() != null) {
            record.add("from", member.remoteAddress());
        }
        return record.build().toString();
    }

    private static String abbreviated(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
