package dev.rendezvous.bench;

import dev.rendezvous.server.ServerProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server under load: where its endpoint is, which processes serve it, and how the run is configured; for the
 * cluster scenario, a second node's endpoint ({@code second}, else null) that the odd sockets connect to. The first of
 * {@code serving} is the server whose endpoint {@code signal} is; with the cluster scenario the others are the other
 * node and the Redis, whose CPU counts as the server's too.
 */
record Target(HttpClient http, URI signal, Options options, URI second, List<Serving> serving) {

    /** A process whose CPU counts as the server's, and its role in the report ("server", "node 2", "redis"). */
    record Serving(String role, ServerProcess process) {
    }

    Target {
        serving = List.copyOf(serving);
        if (serving.isEmpty()) {
            throw new IllegalArgumentException("a target needs the process that serves it");
        }
    }

    Target(HttpClient http, URI signal, ServerProcess server, Options options) {
        this(http, signal, options, null, List.of(new Serving("server", server)));
    }

    /** The process listening on {@code signal}. */
    ServerProcess server() {
        return serving.get(0).process();
    }

    /** Where socket {@code index} connects: the second node for odd sockets, if there is one (so each pair spans both). */
    URI signalFor(int index) {
        return second != null && index % 2 == 1 ? second : signal;
    }

    /** The CPU time each serving process has used so far, in nanoseconds, by role, in the order of {@code serving}. */
    Map<String, Long> serverCpuNanos() {
        var cpu = new LinkedHashMap<String, Long>();
        for (var s : serving) {
            cpu.put(s.role(), s.process().cpuNanos());
        }
        return cpu;
    }
}
