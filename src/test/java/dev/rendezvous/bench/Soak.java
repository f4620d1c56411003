package dev.rendezvous.bench;

import dev.rendezvous.server.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 5, soak: a steady mixed load for a long time, every relayed message checked, looking for what only time
 * shows: memory that creeps up, sockets or threads that are never given back, a rare race that loses a message.
 *
 * <ul>
 *   <li>steady relay: pairs in rooms of their own, each direction one candidate every 50 ms;</li>
 *   <li>steady broadcasts: rooms of four, every member one message every 250 ms;</li>
 *   <li>churn: a new session every 200 ms joins one of ten rooms of four (or is told room-full), stays 1-8 s, then
 *       leaves or drops its connection;</li>
 *   <li>abuse, every 30 s: a reader that stops reading while a feeder sends it 60 KiB messages (it must be closed
 *       4008), and a flooder (it must be closed 4029).</li>
 * </ul>
 *
 * Every minute it reads the server's heap after a full GC; at the end it reports the slope of those readings, and the
 * server's open files and threads against the start. The checked traffic stays well under the default rate limit, and
 * the flooders need it: run the soak against a server with the default limits ({@code mvn verify -Pbench,soak}).
 */
final class Soak {

    private static final int PAIRS = 20;
    private static final int ROOMS = 5;
    private static final int CHURN_ROOMS = 10;
    private static final Duration RELAY_EVERY = Duration.ofMillis(50);
    private static final Duration BROADCAST_EVERY = Duration.ofMillis(250);
    private static final Duration CHURN_EVERY = Duration.ofMillis(200);
    private static final Duration ABUSE_EVERY = Duration.ofSeconds(30);
    private static final Duration SAMPLE_EVERY = Duration.ofMinutes(1);
    private static final String BULK = "x".repeat(60 * 1024);

    private Soak() {
    }

    /**
     * @param heapMiB       heap after GC at each minute, in MiB
     * @param slopeMiBPerHour the least-squares slope of those readings
     */
    record Result(Duration duration, Ledger.Correctness relays, Ledger.Correctness broadcasts, long churned,
                  long churnJoined, long churnFull, long churnFailures, String firstChurnFailure, int slowReaders,
                  int slowReadersClosed, int flooders, int floodersClosed, List<Double> heapMiB,
                  double slopeMiBPerHour, int filesBefore, int filesAfter, int threadsBefore, int threadsAfter) {

        boolean clean() {
            return relays.clean() && broadcasts.clean() && churnFailures == 0 && slowReadersClosed == slowReaders
                    && floodersClosed == flooders;
        }
    }

    static Result run(Target target, Duration length) throws InterruptedException {
        var server = target.server();
        var filesBefore = server.openFiles();
        var threadsBefore = server.threads();
        var heap = new ArrayList<Double>();
        sample(server, heap);
        var timers = Executors.newScheduledThreadPool(4);
        var churn = new Churn(target);
        var abuse = new Abuse(target);
        var start = System.nanoTime();
        Ledger.Correctness relays;
        Ledger.Correctness broadcasts;
        try (var pairs = Fleet.openAll(target.http(), target.signal(), Protocol.ROOMS, 2 * PAIRS, i -> "soak-pair-" + i / 2);
             var rooms = Fleet.openAll(target.http(), target.signal(), Protocol.ROOMS, 4 * ROOMS, i -> "soak-room-" + i / 4)) {
            var relayTraffic = new Traffic(pairs, Protocol.ROOMS, 1 << 20);
            relayTraffic.onCandidate((receiver, src, fields) -> { });
            var broadcastTraffic = new Traffic(rooms, Protocol.ROOMS, 1 << 20);
            broadcastTraffic.onBroadcast((receiver, src, fields) -> { });
            for (var src = 0; src < 2 * PAIRS; src++) {
                var from = src;
                timers.scheduleAtFixedRate(() -> relayTraffic.sendCandidate(from, from ^ 1, System.nanoTime()),
                        jitter(RELAY_EVERY), RELAY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (var src = 0; src < 4 * ROOMS; src++) {
                var from = src;
                timers.scheduleAtFixedRate(() -> broadcastTraffic.sendBroadcast(from, 3, System.nanoTime()),
                        jitter(BROADCAST_EVERY), BROADCAST_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            }
            timers.scheduleAtFixedRate(churn::next, 0, CHURN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(abuse::next, ABUSE_EVERY.toMillis() / 2, ABUSE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            var deadline = start + length.toNanos();
            while (System.nanoTime() < deadline) {
                Traffic.pause(Duration.ofNanos(Math.min(SAMPLE_EVERY.toNanos(), deadline - System.nanoTime())));
                sample(server, heap);
                progress(heap, churn, abuse, relayTraffic.ledger);
            }
            timers.shutdownNow();
            timers.awaitTermination(10, TimeUnit.SECONDS);
            relayTraffic.drain();
            broadcastTraffic.drain();
            relays = relayTraffic.ledger.verdict();
            broadcasts = broadcastTraffic.ledger.verdict();
        } finally {
            timers.shutdownNow();
            churn.close();
            abuse.close();
        }
        var elapsed = Duration.ofNanos(System.nanoTime() - start);
        var filesAfter = settled(server::openFiles, filesBefore);
        var threadsAfter = settled(server::threads, threadsBefore);
        return new Result(elapsed, relays, broadcasts, churn.opened.get(), churn.joined.get(), churn.full.get(),
                churn.failures.get(), churn.firstFailure.get(), abuse.slowReaders.get(), abuse.slowReadersClosed.get(),
                abuse.flooders.get(), abuse.floodersClosed.get(), heap, slope(heap), filesBefore, filesAfter,
                threadsBefore, threadsAfter);
    }

    private static long jitter(Duration every) {
        return ThreadLocalRandom.current().nextLong(every.toMillis());
    }

    private static void sample(ServerProcess server, List<Double> heap) {
        OptionalLong bytes = server.heapAfterGc();
        if (bytes.isPresent()) {
            heap.add(bytes.getAsLong() / 1048576.0);
        }
    }

    private static void progress(List<Double> heap, Churn churn, Abuse abuse, Ledger relays) {
        System.out.printf("[%tT] soak: heap after GC %.1f MiB; %,d relays checked; %,d sessions churned; %d slow readers and %d flooders closed%n",
                System.currentTimeMillis(), heap.isEmpty() ? Double.NaN : heap.get(heap.size() - 1), relays.received(),
                churn.opened.get(), abuse.slowReadersClosed.get(), abuse.floodersClosed.get());
    }

    /** The least-squares slope of readings a minute apart, in MiB per hour. */
    static double slope(List<Double> perMinute) {
        var n = perMinute.size();
        if (n < 2) {
            return Double.NaN;
        }
        double sumX = 0, sumY = 0, sumXY = 0, sumXX = 0;
        for (var i = 0; i < n; i++) {
            sumX += i;
            sumY += perMinute.get(i);
            sumXY += i * perMinute.get(i);
            sumXX += (double) i * i;
        }
        return (n * sumXY - sumX * sumY) / (n * sumXX - sumX * sumX) * 60;
    }

    /**
     * A count (open files, threads) once the server has let go of what the load made it hold, within a minute: idle
     * pool threads leave after 30 s. The level it ends at, to compare with where it started.
     */
    private static int settled(java.util.function.IntSupplier count, int before) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        var now = count.getAsInt();
        while (now > before + 10 && System.nanoTime() < deadline) {
            Traffic.pause(Duration.ofSeconds(1));
            now = count.getAsInt();
        }
        return now;
    }

    /** Sessions that come, join a room of four or are turned away as it is full, stay a while, and go. */
    private static final class Churn {
        private final Target target;
        private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        private final ConcurrentHashMap.KeySetView<LoadClient, Boolean> present = ConcurrentHashMap.newKeySet();
        final AtomicLong opened = new AtomicLong();
        final AtomicLong joined = new AtomicLong();
        final AtomicLong full = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicReference<String> firstFailure = new AtomicReference<>();

        Churn(Target target) {
            this.target = target;
        }

        void next() {
            opened.incrementAndGet();
            var room = "soak-churn-" + ThreadLocalRandom.current().nextInt(CHURN_ROOMS);
            LoadClient.open(target.http(), target.signal(), -1)
                    .thenCompose(client -> client.start(Protocol.ROOMS).thenApply(id -> client))
                    .thenCompose(client -> {
                        present.add(client);
                        return client.join(room).handle((reply, refused) -> {
                            if (refused == null) {
                                joined.incrementAndGet();
                            } else if (refused.getMessage().contains("room-full")) {
                                full.incrementAndGet();
                            } else {
                                failed(refused);
                            }
                            return client;
                        });
                    })
                    .whenComplete((client, failure) -> {
                        if (failure != null) {
                            failed(failure);
                            return;
                        }
                        var stay = 1_000 + ThreadLocalRandom.current().nextInt(7_000);
                        later.schedule(() -> leave(client), stay, TimeUnit.MILLISECONDS);
                    });
        }

        private void leave(LoadClient client) {
            present.remove(client);
            if (ThreadLocalRandom.current().nextBoolean()) {
                client.close();
            } else {
                client.abort();
            }
        }

        private void failed(Throwable failure) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, failure.toString());
        }

        void close() {
            later.shutdownNow();
            present.forEach(LoadClient::close);
        }
    }

    /** Every round: a reader that stops reading, fed until it must be closed 4008, and a flooder that must be closed 4029. */
    private static final class Abuse {
        private final Target target;
        private final List<LoadClient> everyone = new ArrayList<>();
        final AtomicInteger slowReaders = new AtomicInteger();
        final AtomicInteger slowReadersClosed = new AtomicInteger();
        final AtomicInteger flooders = new AtomicInteger();
        final AtomicInteger floodersClosed = new AtomicInteger();

        Abuse(Target target) {
            this.target = target;
        }

        void next() {
            try {
                var victim = started();
                var feeder = started();
                var flooder = started();
                slowReaders.incrementAndGet();
                flooders.incrementAndGet();
                victim.stopReading();
                victim.closed().thenAccept(reason -> count(reason, "4008", slowReadersClosed));
                flooder.closed().thenAccept(reason -> count(reason, "4029", floodersClosed));
                for (var i = 0; i < 200; i++) { // the feeder's burst: 12 MiB, far over what the server holds for a reader
                    feeder.send("{\"action\":\"message\",\"data\":{\"to\":\"" + victim.peerId() + "\",\"payload\":\"" + BULK + "\"}}");
                    flooder.send("{\"action\":\"ping\"}");
                    flooder.send("{\"action\":\"ping\"}");
                }
                // the victim's close frame waits behind what it never read: it reads again a while later, to see it
                CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(victim::readAgain);
            } catch (RuntimeException failed) {
                System.out.println("soak: an abuse round could not start: " + failed);
            }
        }

        private LoadClient started() {
            var client = LoadClient.open(target.http(), target.signal(), -1)
                    .thenCompose(opened -> opened.start(Protocol.ROOMS).thenApply(id -> opened))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            synchronized (everyone) {
                everyone.add(client);
            }
            return client;
        }

        /** A stalled reader's close frame may be dropped by the container (Payara): 1006 counts, as documented. */
        private static void count(String reason, String expected, AtomicInteger closed) {
            if (reason.startsWith(expected) || (expected.equals("4008") && reason.startsWith("1006"))) {
                closed.incrementAndGet();
            } else {
                System.out.println("soak: expected a close with " + expected + ", got " + reason);
            }
        }

        void close() {
            synchronized (everyone) {
                everyone.forEach(LoadClient::abort);
            }
        }
    }
}
