package dev.rendezvous.protocol;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;

import java.util.List;
import java.util.Objects;

/**
 * Everything the server sends. Each message writes its own wire form next to its fields, inside the one envelope
 * {@code {"action", "txn"?, "from"?, "data"?}}; {@code from} is always the server's word for who sent it.
 */
public sealed interface ServerMessage {

    String action();

    /** The txn of the request this answers; null for events. */
    default String txn() {
        return null;
    }

    /** The peer this comes from, as the server knows it; null for the server's own messages. */
    default PeerId from() {
        return null;
    }

    /** Writes the fields after {@code action}, {@code txn} and {@code from}: usually {@code data}. */
    void writeBody(JsonGenerator out);

    /** Writes the whole message as one JSON object. */
    default void writeTo(JsonGenerator out) {
        out.writeStartObject();
        out.write("action", action());
        if (txn() != null) {
            out.write("txn", txn());
        }
        if (from() != null) {
            out.write("from", from().value());
        }
        writeBody(out);
        out.writeEnd();
    }

    /**
     * The answer to {@code hello}: who you are and what this server expects of you. {@code resume} is what to resume
     * this session with should its socket drop (null when resume is off); {@code resumed} says whether this hello took
     * up a session again.
     */
    record Welcome(String txn, PeerId peerId, Heartbeat heartbeat, Limits limits, List<IceServer> iceServers,
                   ResumeGrant resume, boolean resumed) implements ServerMessage {
        public Welcome {
            iceServers = List.copyOf(iceServers);
        }

        /** A fresh session's welcome, with resume off. */
        public Welcome(String txn, PeerId peerId, Heartbeat heartbeat, Limits limits, List<IceServer> iceServers) {
            this(txn, peerId, heartbeat, limits, iceServers, null, false);
        }

        @Override
        public String action() {
            return "welcome";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data")
                    .write("peerId", peerId.value())
                    .write("protocol", ClientMessage.Hello.CURRENT_PROTOCOL);
            out.writeStartObject("heartbeat")
                    .write("intervalMs", heartbeat.intervalMs())
                    .write("timeoutMs", heartbeat.timeoutMs())
                    .writeEnd();
            out.writeStartObject("limits")
                    .write("maxMessageBytes", limits.maxMessageBytes())
                    .write("messagesPerSecond", limits.messagesPerSecond())
                    .write("burst", limits.burst())
                    .write("roomCapacity", limits.roomCapacity())
                    .writeEnd();
            writeIceServers(out, iceServers);
            if (resume != null) {
                out.write("resumed", resumed);
                out.writeStartObject("resume").write("token", resume.token()).write("graceMs", resume.graceMs()).writeEnd();
            }
            out.writeEnd();
        }
    }

    /** What a session resumes with: a single-use token, and how long after a drop the session waits for it. */
    record ResumeGrant(String token, long graceMs) {
    }

    /**
     * Tells each other member of a room that a peer's connection dropped ({@code reconnecting}: it keeps its seat and
     * what is sent to it waits) or that it is back ({@code connected}).
     */
    record PeerState(RoomName room, PeerId peerId, Connectivity state) implements ServerMessage {
        /** How a member's connection stands. */
        public enum Connectivity {
            RECONNECTING("reconnecting"),
            CONNECTED("connected");

            private final String wireName;

            Connectivity(String wireName) {
                this.wireName = wireName;
            }

            public String wireName() {
                return wireName;
            }
        }

        @Override
        public String action() {
            return "peer-state";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data")
                    .write("room", room.value())
                    .write("peerId", peerId.value())
                    .write("state", state.wireName())
                    .writeEnd();
        }
    }

    /** The seed protocol's answer to {@code start}, exactly as the tutorial's server sends it: {@code {"action":"start","id":...}}. */
    record Started(String txn, PeerId id) implements ServerMessage {
        @Override
        public String action() {
            return "start";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.write("id", id.value());
        }
    }

    /** The answer to {@code join}: the room and who was already in it (the joiner offers to each of them). */
    record Joined(String txn, RoomName room, PeerId peerId, int capacity, List<Member> peers) implements ServerMessage {
        public Joined {
            peers = List.copyOf(peers);
        }

        @Override
        public String action() {
            return "joined";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data")
                    .write("room", room.value())
                    .write("peerId", peerId.value())
                    .write("capacity", capacity)
                    .writeStartArray("peers");
            for (var peer : peers) {
                out.writeStartObject().write("peerId", peer.peerId().value());
                writeIfPresent(out, "displayName", peer.displayName());
                writeIfPresent(out, "userId", peer.userId());
                out.write("polite", peer.polite()).writeEnd();
            }
            out.writeEnd().writeEnd();
        }
    }

    /** Tells each member that {@code peer} joined; {@code peer.polite()} is the newcomer's role (always impolite). */
    record PeerJoined(RoomName room, Member peer) implements ServerMessage {
        @Override
        public String action() {
            return "peer-joined";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data").write("room", room.value());
            out.writeStartObject("peer").write("peerId", peer.peerId().value());
            writeIfPresent(out, "displayName", peer.displayName());
            writeIfPresent(out, "userId", peer.userId());
            out.writeEnd();
            out.write("polite", peer.polite()).writeEnd();
        }
    }

    /** The answer to {@code leave}. */
    record Left(String txn, RoomName room) implements ServerMessage {
        @Override
        public String action() {
            return "left";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data").write("room", room.value()).writeEnd();
        }
    }

    /** Tells each remaining member that a peer left, and why. */
    record PeerLeft(RoomName room, PeerId peerId, LeaveReason reason) implements ServerMessage {
        @Override
        public String action() {
            return "peer-left";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data")
                    .write("room", room.value())
                    .write("peerId", peerId.value())
                    .write("reason", reason.wireName())
                    .writeEnd();
        }
    }

    /**
     * A signal as its addressee receives it: the sender's data fields as sent, minus the addressing fields ({@code to},
     * {@code remoteId}); an offer names its sender in {@code data.remoteId} as the tutorial expects. The one message on
     * the relay path, so {@link Wire} writes it by splicing the fields' text into the envelope ({@link #spliced()})
     * rather than through a generator.
     */
    record Relayed(Signal signal, PeerId from, SignalFields data) implements ServerMessage {
        public Relayed {
            Objects.requireNonNull(signal);
            Objects.requireNonNull(from);
            Objects.requireNonNull(data);
        }

        @Override
        public String action() {
            return signal.action();
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data");
            for (var field : data.asObject().entrySet()) {
                out.write(field.getKey(), field.getValue());
            }
            if (signal.namesSender()) {
                out.write(Addressing.REMOTE_ID, from.value());
            }
            out.writeEnd();
        }

        /**
         * The JSON text {@link #writeTo} writes, made without a generator: the action and the peer id need no escaping
         * (an action is a constant, a {@link PeerId} is {@code [A-Za-z0-9_-]}), and the fields are JSON already.
         */
        String spliced() {
            var members = data.members();
            var json = new StringBuilder(members.length() + 2 * from.value().length() + 64)
                    .append("{\"action\":\"").append(signal.action())
                    .append("\",\"from\":\"").append(from.value())
                    .append("\",\"data\":{").append(members);
            if (signal.namesSender()) {
                if (!data.isEmpty()) {
                    json.append(',');
                }
                json.append("\"" + Addressing.REMOTE_ID + "\":\"").append(from.value()).append('"');
            }
            return json.append("}}").toString();
        }
    }

    /** An application message ({@code action "message"}) as its receivers get it. */
    record Posted(PeerId from, JsonValue payload) implements ServerMessage {
        public Posted {
            Objects.requireNonNull(from);
        }

        @Override
        public String action() {
            return "message";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data").write("payload", payload).writeEnd();
        }
    }

    /**
     * Fresh ICE servers for the session, sent before the TURN credentials of the last ones expire: the client applies
     * them ({@code RTCPeerConnection.setConfiguration}) so a later ICE restart still authenticates.
     */
    record IceServersUpdate(List<IceServer> iceServers) implements ServerMessage {
        public IceServersUpdate {
            iceServers = List.copyOf(iceServers);
        }

        @Override
        public String action() {
            return "ice-servers";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data");
            writeIceServers(out, iceServers);
            out.writeEnd();
        }
    }

    /**
     * An operator closed the room: the member is in no room any more (no {@code peer-left} is sent for the others);
     * its socket and session stay.
     */
    record RoomClosed(RoomName room) implements ServerMessage {
        @Override
        public String action() {
            return "room-closed";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data").write("room", room.value()).writeEnd();
        }
    }

    /** The answer to {@code ping}. */
    record Pong(String txn) implements ServerMessage {
        @Override
        public String action() {
            return "pong";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            // a pong carries nothing but its txn
        }
    }

    /**
     * The {@code error} reply: a stable code and a sentence for people; {@code reason} says more for the codes that have
     * one ({@code resume-failed}), else null. The socket stays open.
     */
    record Problem(String txn, ErrorCode code, String message, ResumeFailure reason) implements ServerMessage {
        public Problem(String txn, ErrorCode code, String message) {
            this(txn, code, message, null);
        }

        @Override
        public String action() {
            return "error";
        }

        @Override
        public void writeBody(JsonGenerator out) {
            out.writeStartObject("data").write("code", code.wireName());
            if (reason != null) {
                out.write("reason", reason.wireName());
            }
            out.write("message", message).writeEnd();
        }
    }

    private static void writeIceServers(JsonGenerator out, List<IceServer> iceServers) {
        out.writeStartArray("iceServers");
        for (var server : iceServers) {
            out.writeStartObject().writeStartArray("urls");
            server.urls().forEach(out::write);
            out.writeEnd();
            writeIfPresent(out, "username", server.username());
            writeIfPresent(out, "credential", server.credential());
            out.writeEnd();
        }
        out.writeEnd();
    }

    private static void writeIfPresent(JsonGenerator out, String name, String value) {
        if (value != null) {
            out.write(name, value);
        }
    }

    private static void writeIfPresent(JsonGenerator out, String name, DisplayName value) {
        if (value != null) {
            out.write(name, value.value());
        }
    }
}
