package dev.rendezvous.operations.control;

import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.RoomEvents;
import dev.rendezvous.signaling.entity.Sends;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Room events out to the application that owns the rooms ({@code rendezvous.webhook.url}): each is POSTed as JSON,
 * signed ({@link WebhookSignature}), in order per room. A room's next event waits until the one before it was
 * answered 2xx or given up on: a failure or another answer is tried again with the same {@code id} after the backoff,
 * doubling, until the last attempt, after which it is dropped (counted, logged) and the room's events go on.
 *
 * <p>Rooms report under their locks ({@link RoomEvents}), so the events are only queued there; deliveries run on the
 * container's managed executor, through the JDK's HTTP client, and never hold a signaling thread: a slow or dead
 * receiver delays nothing but the events behind it. At most {@code rendezvous.webhook.queue} events wait at once;
 * past that, new ones are dropped.
 */
@ApplicationScoped
public class Webhooks implements RoomEvents {

    private static final System.Logger LOG = System.getLogger(Webhooks.class.getName());

    @Inject
    Reporting reporting;
    @Inject
    Metrics metrics;
    @Resource
    ManagedExecutorService executor;
    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Clock clock = Clock.systemUTC();
    private final ConcurrentMap<RoomName, Feed> feeds = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Burst failures = new Burst();
    /** Null while webhooks are off. */
    private Reporting.Webhook webhook;
    private WebhookSignature signature;
    private HttpClient http;
    private volatile boolean stopped;

    /** The events of one room, delivered one at a time; guarded by itself, and created and removed in {@link #feeds}. */
    private static final class Feed {
        final RoomName room;
        final ArrayDeque<WebhookEvent> events = new ArrayDeque<>();
        boolean delivering;
        int attempts;

        Feed(RoomName room) {
            this.room = room;
        }
    }

    @PostConstruct
    void start() {
        webhook = reporting.webhook();
        if (webhook == null) {
            return;
        }
        signature = new WebhookSignature(webhook.secret());
        http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(webhook.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        LOG.log(Level.INFO, "Rendezvous posts room events to {0}", webhook.url());
    }

    @PreDestroy
    void stop() {
        stopped = true;
        var left = queued.get();
        if (webhook != null && left > 0) {
            LOG.log(Level.WARNING, "Rendezvous stops with {0} room events not delivered to {1}", left, webhook.url());
        }
    }

    @Override
    public void started(RoomName room, Sends sends) {
        offer(room, WebhookEvent.ROOM_STARTED, null, null, sends);
    }

    @Override
    public void joined(RoomName room, Peer peer, Sends sends) {
        offer(room, WebhookEvent.PEER_JOINED, peer, null, sends);
    }

    @Override
    public void left(RoomName room, Peer peer, LeaveReason reason, Sends sends) {
        offer(room, WebhookEvent.PEER_LEFT, peer, reason, sends);
    }

    @Override
    public void finished(RoomName room, Sends sends) {
        offer(room, WebhookEvent.ROOM_FINISHED, null, null, sends);
    }

    /** Under the room's lock: queues the event; starting its room's delivery, if idle, is left to {@code sends}. */
    private void offer(RoomName room, String type, Peer peer, LeaveReason reason, Sends sends) {
        if (webhook == null || stopped) {
            return;
        }
        if (queued.incrementAndGet() > webhook.queue()) {
            queued.decrementAndGet();
            metrics.webhook(Metrics.WEBHOOK_DROPPED);
            if (failures.first()) {
                LOG.log(Level.WARNING, "Rendezvous dropped a {0} event of room {1}: {2} events wait for {3} already",
                        type, room, webhook.queue(), webhook.url());
            }
            return;
        }
        var event = new WebhookEvent(UUID.randomUUID().toString(), type, clock.instant(), room,
                peer == null ? null : peer.id(), reason, peer == null ? null : peer.userId());
        var idle = new Feed[1];
        feeds.compute(room, (name, current) -> {
            var feed = current == null ? new Feed(name) : current;
            synchronized (feed) {
                feed.events.add(event);
                if (!feed.delivering) {
                    feed.delivering = true;
                    idle[0] = feed;
                }
            }
            return feed;
        });
        if (idle[0] != null) {
            var feed = idle[0];
            sends.add(() -> run(() -> attempt(feed)));
        }
    }

    /** Tries to deliver the first event of {@code feed}. */
    private void attempt(Feed feed) {
        if (stopped) {
            return;
        }
        WebhookEvent event;
        int attempt;
        synchronized (feed) {
            event = feed.events.peek();
            attempt = ++feed.attempts;
        }
        var body = event.json();
        var request = HttpRequest.newBuilder(webhook.url())
                .timeout(webhook.timeout())
                .header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, signature.header(clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> answered(feed, event, attempt,
                            failure != null ? failure.toString() : response.statusCode() / 100 == 2 ? null
                                    : "answered " + response.statusCode()));
        } catch (RuntimeException refused) {
            answered(feed, event, attempt, refused.toString());
        }
    }

    /** The end of one try: {@code failure} says why it failed, null if it was answered 2xx. */
    private void answered(Feed feed, WebhookEvent event, int attempt, String failure) {
        if (failure == null) {
            metrics.webhook(Metrics.WEBHOOK_OK);
            var failed = failures.calm();
            if (failed > 0) {
                LOG.log(Level.INFO, "Rendezvous delivers room events to {0} again, after {1} more failed tries",
                        webhook.url(), failed);
            }
            next(feed);
        } else if (attempt >= webhook.maxAttempts()) {
            metrics.webhook(Metrics.WEBHOOK_DROPPED);
            if (failures.first()) {
                LOG.log(Level.WARNING, "Rendezvous dropped the {0} event {1} of room {2} after {3} tries to {4}: {5}",
                        event.type(), event.id(), event.room(), attempt, webhook.url(), failure);
            }
            next(feed);
        } else {
            metrics.webhook(Metrics.WEBHOOK_RETRY);
            if (failures.first()) {
                LOG.log(Level.WARNING, "Rendezvous could not deliver the {0} event {1} of room {2} to {3} ({4}); trying"
                        + " again, and not logging further failures until one succeeds", event.type(), event.id(),
                        event.room(), webhook.url(), failure);
            }
            var wait = webhook.backoffAfter(attempt);
            try {
                scheduler.schedule(() -> attempt(feed), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                LOG.log(Level.DEBUG, () -> "Not trying event " + event.id() + " again: the application stops", stopping);
            }
        }
    }

    /** The first event of {@code feed} is done with: the next one's turn, or the room's feed is idle and goes. */
    private void next(Feed feed) {
        queued.decrementAndGet();
        var more = new boolean[1];
        feeds.compute(feed.room, (name, current) -> {
            synchronized (feed) {
                feed.events.poll();
                feed.attempts = 0;
                more[0] = !feed.events.isEmpty();
                feed.delivering = more[0];
            }
            return more[0] || current != feed ? current : null;
        });
        if (more[0]) {
            run(() -> attempt(feed));
        }
    }

    private void run(Runnable delivery) {
        if (stopped) {
            return;
        }
        try {
            executor.execute(delivery);
        } catch (RejectedExecutionException stopping) {
            LOG.log(Level.DEBUG, "Not delivering room events: the application stops", stopping);
        }
    }
}
