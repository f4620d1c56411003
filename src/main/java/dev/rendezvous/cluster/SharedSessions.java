package dev.rendezvous.cluster;

import dev.rendezvous.protocol.Sequenced;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the store keeps of this node's protocol-1 sessions so that they outlive it: a record of each session by its
 * token's id (which node holds it, for which peer, a digest of the token, the grant), the frames a detached session's
 * node kept for it ({@link Keys#kept}), and the frames relayed to a peer after its node died. When the client of a
 * dead node's session resumes on another node, that node takes the session over in one script ({@code takeover.lua}).
 */
final class SharedSessions {

    /**
     * How a takeover ended: {@code ASKED} the node that holds the session heard the request, and answers it (no script
     * ran); {@code TAKEN} from a node that does not answer; {@code ALIVE} it answers after all; or why not.
     */
    enum Takeover { ASKED, TAKEN, ALIVE, UNKNOWN, GAP, AHEAD }

    /**
     * What happened to a relayed frame: {@code HEARD} by the node it was sent to (no script ran); else it
     * {@code MOVED} on to the node its peer moved to, was {@code KEPT} for it, or not, as it is {@code GONE} or too
     * much is kept for it ({@code FULL}).
     */
    enum Delivery { HEARD, MOVED, KEPT, GONE, FULL }

    private static final HexFormat HEX = HexFormat.of();

    private final RedisAsyncCommands<String, String> redis;
    private final Keys keys;
    private final String node;
    /** How long what is kept for a peer is kept: until its node is surely seen dead, and its grace has run out. */
    private final Duration keepFor;
    private final int keepFrames;
    private final long keepBytes;
    private final Script keep;
    private final Script deliver;
    private final Script forget;
    private final Script takeover;

    /** @param keepFrames at most as many frames as a session keeps, and {@code keepBytes} bytes, are kept for a peer */
    SharedSessions(RedisAsyncCommands<String, String> redis, Keys keys, String node, Duration keepFor, int keepFrames,
                   long keepBytes) {
        this.redis = redis;
        this.keys = keys;
        this.node = node;
        this.keepFor = keepFor;
        this.keepFrames = keepFrames;
        this.keepBytes = keepBytes;
        this.keep = Script.load("keep.lua", redis);
        this.deliver = Script.load("deliver.lua", redis);
        this.forget = Script.load("forget.lua", redis);
        this.takeover = Script.load("takeover.lua", redis);
    }

    /**
     * Records that this node holds the session of {@code tokenId} (whose whole token is {@code token}) for
     * {@code peer}, with {@code user} and {@code grant} (JSON; either may be null); the record of {@code previousTokenId}
     * (or null) goes.
     */
    CompletionStage<Void> held(String tokenId, String token, String previousTokenId, String peer, String user, String grant) {
        var gone = previousTokenId == null ? CompletableFuture.completedFuture(0L) : redis.del(keys.session(previousTokenId)).toCompletableFuture();
        var fields = new HashMap<>(Map.of("node", node, "peer", peer, "digest", digest(token)));
        if (user != null) {
            fields.put("user", user);
        }
        if (grant != null) {
            fields.put("grant", grant);
        }
        var record = redis.hset(keys.session(tokenId), fields).toCompletableFuture();
        var found = redis.hset(keys.peer(peer), "session", tokenId).toCompletableFuture();
        return CompletableFuture.allOf(gone, record, found);
    }

    /** The session of {@code tokenId} is gone. */
    CompletionStage<Long> ended(String tokenId) {
        return redis.del(keys.session(tokenId));
    }

    /**
     * Keeps {@code frames} for {@code peer}, detached here; with {@code sent} at least 0, the session was just detached
     * and had numbered its frames up to {@code sent}.
     */
    CompletionStage<List<Object>> keep(String peer, long sent, List<Sequenced> frames) {
        var args = new ArrayList<String>(frames.size() + 2);
        args.add(Long.toString(keepFor.toMillis()));
        for (var entry : frames) {
            args.add(entry.seq() + " " + entry.frame().json());
        }
        if (sent >= 0) {
            args.add("S " + sent);
        }
        return keep.run(redis, new String[]{keys.peer(peer), keys.kept(peer)}, args.toArray(String[]::new));
    }

    /** {@code peer} is carried by a connection again: nothing need be kept for it in the store any more. */
    CompletionStage<Long> carried(String peer) {
        redis.del(keys.kept(peer));
        return redis.hdel(keys.peer(peer), "away", "lost", "kept-bytes");
    }

    /**
     * {@code relay}, carrying {@code frame} to {@code peer} in {@code room} (null: a direct call), was published to
     * node {@code to} and taken by no one there: it goes on to the node the peer moved to, or is kept for it.
     */
    CompletionStage<Delivery> deliver(String to, String peer, String room, String relay, String frame) {
        return deliver.run(redis, new String[]{keys.peer(peer), keys.kept(peer)}, to, keys.channels(),
                        room == null ? "" : room, relay, frame, Long.toString(keepFor.toMillis()),
                        Integer.toString(keepFrames), Long.toString(keepBytes))
                .thenApply(reply -> Delivery.valueOf(((String) reply.get(0)).toUpperCase(Locale.ROOT)));
    }

    /** {@code peer}, of node {@code of}, is gone for good: whether it was forgotten (false: another node carries it). */
    CompletionStage<Boolean> forget(String peer, String of) {
        return forget.run(redis, new String[]{keys.peer(peer), keys.kept(peer), keys.peersOf(of)}, peer, of)
                .thenApply(reply -> (Long) reply.get(0) == 1L);
    }

    /**
     * Takes over here the session of {@code tokenId}, presented with {@code token} by a client that read up to
     * {@code lastSeq}, from a node that does not answer: if taken, the handover arrives on this node's channel as the
     * answer to {@code request}.
     */
    CompletionStage<Takeover> takeOver(String tokenId, String token, long lastSeq, String request) {
        return takeover.run(redis, new String[]{keys.session(tokenId), keys.peersOf(node)}, token, Long.toString(lastSeq),
                        node, keys.channels(), keys.prefix(), request)
                .thenApply(reply -> Takeover.valueOf(((String) reply.get(0)).toUpperCase(Locale.ROOT)));
    }

    /** The digest the store keeps of a token, as {@code takeover.lua} computes it ({@code redis.sha1hex}). */
    static String digest(String token) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-1").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException required) {
            throw new IllegalStateException("every Java platform has SHA-1", required);
        }
    }
}
