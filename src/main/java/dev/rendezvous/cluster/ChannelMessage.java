package dev.rendezvous.cluster;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.control.Cluster;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        if ("kick".equals(news.getString("type"))) {
            return new Kick(new PeerId(news.getString("peer")), news.getString("reason", null));
        }
        var room = new RoomName(news.getString("room"));
        return switch (news.getString("type")) {
            case "joined" -> new Joined(room, news.getJsonNumber("seq").longValueExact(), news.getInt("capacity"),
                    member(news.getJsonObject("member")), news.getString("txn", null), members(news.get("earlier")));
            case "left" -> new Left(room, news.getJsonNumber("seq").longValueExact(), new PeerId(news.getString("peer")),
                    reason(news.getString("reason")));
            case "closed" -> new Closed(room);
            case "away" -> new Away(room, news.getJsonNumber("seq").longValueExact(), new PeerId(news.getString("peer")));
            default -> throw new IllegalArgumentException("unknown news " + news.getString("type"));
        };
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
