package dev.rendezvous.bench;

import dev.rendezvous.server.ServerProcess;
import java.net.URI;
import java.util.List;
import java.net.http.HttpClient;

/**
 * The server under load: where its endpoint is, which process it is, and how the run is configured; for the cluster
 * scenario, a second node's endpoint ({@code second}, else null) that the odd sockets connect to, and the other
 * processes whose CPU counts as the server's ({@code alsoServing}: the other node, the Redis).
 */
record Target(HttpClient http, URI signal, ServerProcess server, Options options, URI second, List<ServerProcess> alsoServing) {

    Target(HttpClient http, URI signal, ServerProcess server, Options options) {
        this(http, signal, server, options, null, List.of());
    }

    /** Where socket {@code index} connects: the second node for odd sockets, if there is one (so each pair spans both). */
    URI signalFor(int index) {
        return second != null && index % 2 == 1 ? second : signal;
    }

    /** The CPU time the server has used (with the cluster scenario: both nodes and the Redis), in nanoseconds. */
    long serverCpuNanos() {
        return server.cpuNanos() + alsoServing.stream().mapToLong(ServerProcess::cpuNanos).sum();
    }
}
