package dev.rendezvous.bench;

/**
 * Which of the server's two protocols the load speaks. The messages are shaped like real ICE candidates (about 340
 * bytes of JSON); the fields the generator checks ride inside {@code data}, which every server relays untouched:
 * {@code seq} (per sender and receiver), {@code src} and {@code dst} (generator indexes: a message that reaches
 * anyone but {@code dst}, or claims another sender, is misrouted) and {@code t} (the intended send time, in the
 * generator's {@code System.nanoTime}).
 */
enum Protocol {
    /** Protocol 1: hello, pairs in rooms of their own, {@code candidate} addressed by {@code data.to}. */
    ROOMS("candidate", "to"),
    /** The tutorial's protocol: start, {@code iceCandidate} addressed by {@code data.remoteId}, no rooms. */
    SEED("iceCandidate", "remoteId");

    private static final String CANDIDATE = "{\"candidate\":\"candidate:842163049 1 udp 1677729535 203.0.113.23 54321 typ srflx "
            + "raddr 10.0.0.5 rport 54321 generation 0 ufrag sX4f network-id 1 network-cost 10\",\"sdpMid\":\"0\","
            + "\"sdpMLineIndex\":0,\"usernameFragment\":\"sX4f\"}";

    final String action;
    private final String addressing;

    Protocol(String action, String addressing) {
        this.action = action;
        this.addressing = addressing;
    }

    /** A candidate for peer {@code to} (generator index {@code dst}) from generator index {@code src}. */
    String candidate(String to, int src, int dst, long seq, long sentAt) {
        return "{\"action\":\"" + action + "\",\"data\":{\"" + addressing + "\":\"" + to + "\",\"candidate\":" + CANDIDATE
                + ",\"seq\":" + seq + ",\"src\":" + src + ",\"dst\":" + dst + ",\"t\":" + sentAt + "}}";
    }

    /** A room-wide application message, as the fan-out scenario broadcasts it. */
    static String broadcast(int src, long seq, long sentAt) {
        return "{\"action\":\"message\",\"data\":{\"payload\":{\"text\":\"bench\",\"seq\":" + seq + ",\"src\":" + src
                + ",\"t\":" + sentAt + "}}}";
    }
}
