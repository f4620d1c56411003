package dev.rendezvous.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Many load sockets, opened with a bounded number of handshakes under way: each connects, starts (hello, or the
 * tutorial's start) and joins its room if it has one. Opening counts failures rather than giving up at the first.
 */
final class Fleet implements AutoCloseable {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** How long closing waits for the server's close frames before dropping the connections that have none yet. */
    private static final Duration CLOSING = Duration.ofSeconds(20);

    private final List<LoadClient> clients;
    private final String[] peerIds;
    final int failures;
    final long openNanos;
    final String firstFailure;

    private Fleet(List<LoadClient> clients, int failures, long openNanos, String firstFailure) {
        this.clients = clients;
        this.peerIds = clients.stream().map(client -> client == null ? "" : client.peerId()).toArray(String[]::new);
        this.failures = failures;
        this.openNanos = openNanos;
        this.firstFailure = firstFailure;
    }

    /**
     * Opens {@code size} sockets; socket {@code i} joins {@code roomOf.apply(i)} (none if null).
     *
     * @param concurrency how many sockets may be between connecting and having joined at once
     */
    static Fleet open(HttpClient http, URI uri, Protocol protocol, int size, IntFunction<String> roomOf, int concurrency)
            throws InterruptedException {
        return open(http, i -> uri, protocol, size, roomOf, concurrency);
    }

    /** Like {@link #open(HttpClient, URI, Protocol, int, IntFunction, int)}, socket {@code i} to {@code uriOf.apply(i)}. */
    static Fleet open(HttpClient http, IntFunction<URI> uriOf, Protocol protocol, int size, IntFunction<String> roomOf,
                      int concurrency) throws InterruptedException {
        var permits = new Semaphore(concurrency);
        var slots = new ArrayList<CompletableFuture<LoadClient>>(size);
        var failures = new AtomicInteger();
        var firstFailure = new CompletableFuture<String>();
        var start = System.nanoTime();
        for (var i = 0; i < size; i++) {
            if (!permits.tryAcquire(SETTLE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no socket finished joining within " + SETTLE + " (" + i + " opened)");
            }
            var room = roomOf.apply(i);
            var slot = LoadClient.open(http, uriOf.apply(i), i)
                    .thenCompose(client -> client.start(protocol).thenApply(id -> client))
                    .thenCompose(client -> room == null ? CompletableFuture.completedFuture(client)
                            : client.join(room).thenApply(joined -> client))
                    .whenComplete((client, failure) -> {
                        if (failure != null) {
                            failures.incrementAndGet();
                            firstFailure.complete(failure.toString());
                        }
                        permits.release();
                    });
            slots.add(slot);
        }
        if (!permits.tryAcquire(concurrency, SETTLE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("sockets were still joining " + SETTLE + " after the last one opened");
        }
        var elapsed = System.nanoTime() - start;
        var clients = new ArrayList<LoadClient>(size);
        slots.forEach(slot -> clients.add(slot.isCompletedExceptionally() ? null : slot.join()));
        return new Fleet(clients, failures.get(), elapsed, firstFailure.getNow(null));
    }

    /** Like {@link #open}, for scenarios that cannot run with a socket missing. */
    static Fleet openAll(HttpClient http, URI uri, Protocol protocol, int size, IntFunction<String> roomOf)
            throws InterruptedException {
        return openAll(http, i -> uri, protocol, size, roomOf);
    }

    /** Like {@link #openAll(HttpClient, URI, Protocol, int, IntFunction)}, socket {@code i} to {@code uriOf.apply(i)}. */
    static Fleet openAll(HttpClient http, IntFunction<URI> uriOf, Protocol protocol, int size, IntFunction<String> roomOf)
            throws InterruptedException {
        var fleet = open(http, uriOf, protocol, size, roomOf, 64);
        if (fleet.failures > 0) {
            fleet.close();
            throw new IllegalStateException(fleet.failures + " of " + size + " sockets failed to open: " + fleet.firstFailure);
        }
        return fleet;
    }

    LoadClient get(int index) {
        return clients.get(index);
    }

    List<LoadClient> clients() {
        return clients;
    }

    /** The server's id for each socket, by index ("" for one that failed to open). */
    String[] peerIds() {
        return peerIds.clone();
    }

    /** Closes every socket and waits (bounded) until each connection is gone. */
    @Override
    public void close() {
        clients.stream().filter(client -> client != null).forEach(LoadClient::close);
        var gone = CompletableFuture.allOf(clients.stream().filter(client -> client != null)
                .map(LoadClient::closed).toArray(CompletableFuture[]::new));
        try {
            gone.get(CLOSING.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception notAllClosed) {
            clients.stream().filter(client -> client != null).forEach(LoadClient::abort);
        }
    }
}
