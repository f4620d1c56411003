package dev.rendezvous.protocol;

import jakarta.json.JsonValue;

import java.util.Set;

/**
 * Everything a client may send, already validated: a value of one of these types is a message the server can act
 * on. The server never trusts a client-supplied {@code from}; it is not part of any of these.
 *
 * <p>Dispatch is exhaustive: every message calls exactly one method of {@link Handler}, so a new message type does not
 * compile until the dispatcher handles it (the Java 17 form of a switch over the sealed type).
 */
public sealed interface ClientMessage {

    /** The client's correlation id, echoed on the direct reply or error; null if the client sent none. */
    String txn();

    /** Every {@code action} a client may send, as {@link #action()} names them. */
    Set<String> ACTIONS = ClientMessageReader.actions();

    /** The {@code action} it arrived as, e.g. {@code "join"} or {@code "offer"}. */
    String action();

    /** Calls the one method of {@code handler} for this message's type. */
    void dispatchTo(Handler handler);

    /** One method per client message type. */
    interface Handler {
        void hello(Hello message);

        void start(Start message);

        void join(Join message);

        void leave(Leave message);

        void relay(Relay message);

        void post(Post message);

        void ping(Ping message);

        void ack(Ack message);
    }

    /**
     * Protocol 1's opening: {@code {"action":"hello","data":{"protocol":1}}}; with {@code resume}, a detached session
     * taken up again on this socket; {@code token}, the JWT a server with access control on wants (else null).
     */
    record Hello(String txn, int protocol, Resume resume, String token) implements ClientMessage {

        @Override
        public String action() {
            return "hello";
        }
        public static final int CURRENT_PROTOCOL = 1;

        public Hello {
            if (protocol != CURRENT_PROTOCOL) {
                throw new ProtocolException(ErrorCode.UNSUPPORTED_PROTOCOL,
                        "this server speaks protocol " + CURRENT_PROTOCOL + ", not " + protocol);
            }
        }

        /** A fresh session's hello, without a token. */
        public Hello(String txn, int protocol) {
            this(txn, protocol, null, null);
        }

        /** A hello without a token: fresh, or resuming with {@code resume}. */
        public Hello(String txn, int protocol, Resume resume) {
            this(txn, protocol, resume, null);
        }

        @Override
        public void dispatchTo(Handler handler) {
            handler.hello(this);
        }
    }

    /** The seed protocol's (tutorial's) opening: {@code {"action":"start"}}. */
    record Start(String txn) implements ClientMessage {

        @Override
        public String action() {
            return "start";
        }
        @Override
        public void dispatchTo(Handler handler) {
            handler.start(this);
        }
    }

    /** Enter a room, leaving the current one if it is another; {@code displayName} is optional. */
    record Join(String txn, RoomName room, DisplayName displayName) implements ClientMessage {

        @Override
        public String action() {
            return "join";
        }
        public Join {
            if (room == null) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "join needs data.room");
            }
        }

        @Override
        public void dispatchTo(Handler handler) {
            handler.join(this);
        }
    }

    /** Leave the current room. */
    record Leave(String txn) implements ClientMessage {

        @Override
        public String action() {
            return "leave";
        }
        @Override
        public void dispatchTo(Handler handler) {
            handler.leave(this);
        }
    }

    /**
     * A negotiation message for one peer. {@code data} is what the client's object carries on, as sent; the server
     * never looks into SDP or candidates.
     */
    record Relay(String txn, Signal signal, PeerId to, SignalFields data) implements ClientMessage {

        @Override
        public String action() {
            return signal.action();
        }
        public Relay {
            if (signal == null || to == null || data == null) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "a relayed message needs data.to or data.remoteId");
            }
        }

        @Override
        public void dispatchTo(Handler handler) {
            handler.relay(this);
        }
    }

    /** An application message ({@code action "message"}): to one peer of the room, or to all others if {@code to} is null. */
    record Post(String txn, PeerId to, JsonValue payload) implements ClientMessage {

        @Override
        public String action() {
            return "message";
        }
        public Post {
            if (payload == null) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "message needs data.payload");
            }
        }

        @Override
        public void dispatchTo(Handler handler) {
            handler.post(this);
        }
    }

    /**
     * A session's resume: the token its last {@code welcome} gave, and the last {@code seq} the client received (0 if
     * none); every message after it is sent again.
     */
    record Resume(String token, long lastSeq) {
        public Resume {
            if (token == null || token.isEmpty() || token.length() > 128) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.resume.token must be the token of a welcome");
            }
            if (lastSeq < 0) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.resume.lastSeq must be the last seq received, 0 or more");
            }
        }
    }

    /** The client has received every message up to {@code seq}: the server may forget them. No reply. */
    record Ack(String txn, long seq) implements ClientMessage {

        @Override
        public String action() {
            return "ack";
        }
        public Ack {
            if (seq < 0) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "ack needs data.seq, 0 or more");
            }
        }

        @Override
        public void dispatchTo(Handler handler) {
            handler.ack(this);
        }
    }

    /** A round-trip probe, answered with {@code pong}. */
    record Ping(String txn) implements ClientMessage {

        @Override
        public String action() {
            return "ping";
        }
        @Override
        public void dispatchTo(Handler handler) {
            handler.ping(this);
        }
    }
}
