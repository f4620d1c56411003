package dev.rendezvous.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script of this package's resources, run by its SHA-1 ({@code EVALSHA}); where Redis does not know it (a fresh
 * or restarted server: its script cache starts empty) it is sent whole once ({@code EVAL}), which also caches it.
 */
final class Script {

    private static final String SHARED = "tell.lua";

    private final String name;
    private final String text;
    private final String sha;

    private Script(String name, String text, String sha) {
        this.name = name;
        this.text = text;
        this.sha = sha;
    }

    /** The script {@code name}, after the functions every script shares ({@value #SHARED}). */
    static Script load(String name, RedisAsyncCommands<String, String> redis) {
        var text = read(SHARED) + "\n" + read(name);
        return new Script(name, text, redis.digest(text));
    }

    private static String read(String name) {
        try (var in = Script.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no script " + name + " next to " + Script.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read script " + name, unreadable);
        }
    }

    CompletionStage<List<Object>> run(RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
        return redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                .exceptionallyCompose(failure -> unknown(failure)
                        ? redis.<List<Object>>eval(text, ScriptOutputType.MULTI, keys, args)
                        : CompletableFuture.failedStage(failure));
    }

    private static boolean unknown(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisNoScriptException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name + " (" + sha + ")";
    }
}
