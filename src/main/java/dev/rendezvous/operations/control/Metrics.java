package dev.rendezvous.operations.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Signal;
import dev.rendezvous.signaling.control.Heartbeat;
import dev.rendezvous.signaling.control.Meter;
import dev.rendezvous.signaling.control.Rooms;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The application's metrics, with the Prometheus Java client, in a registry of this deployment's own (two
 * deployments in one server report apart). Signaling counts through {@link Meter}: each call finds its label's data
 * point in a map made once per label value and adds to it, no exemplars, nothing else; gauges are read when scraped.
 */
@ApplicationScoped
public class Metrics implements Meter {

    static final String WEBHOOK_OK = "ok";
    static final String WEBHOOK_RETRY = "retry";
    static final String WEBHOOK_DROPPED = "dropped";

    private static final double NANOS_PER_SECOND = 1e9;
    /** The action of an application message, relayed like a signal. */
    private static final String POST = "message";

    @Inject
    Heartbeat heartbeat;
    @Inject
    Rooms rooms;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();

    private final Counter received = counter("rendezvous_messages_received",
            "Valid messages received from clients, by action", "action");
    private final Counter relayed = counter("rendezvous_messages_relayed",
            "Messages relayed from one peer on (a message to a room counts once), by action", "action");
    private final Counter errors = counter("rendezvous_errors", "Error replies sent to clients, by error code", "code");
    private final Counter closes = counter("rendezvous_closes",
            "Connections closed, by WebSocket close code (the server's, or the client's)", "code");
    private final Counter rateLimited = counter("rendezvous_rate_limited", "Messages refused rate-limited");
    private final Counter webhooks = counter("rendezvous_webhook_deliveries",
            "Webhook tries, by outcome: ok (answered 2xx), retry (failed, to be tried again), dropped (given up on)",
            "outcome");
    private final Histogram joins = Histogram.builder()
            .name("rendezvous_join_seconds")
            .help("From a join's arrival until its joined is queued for the joiner")
            .classicOnly()
            .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
            .withoutExemplars()
            .register(registry);

    private final ConcurrentMap<String, CounterDataPoint> receivedBy = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CounterDataPoint> relayedBy = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, CounterDataPoint> closedBy = new ConcurrentHashMap<>();
    private final Map<ErrorCode, CounterDataPoint> errorsBy = new EnumMap<>(ErrorCode.class);
    private final CounterDataPoint refusedRateLimited;
    /** The census the scrape in progress reads its gauges from; guarded by this. */
    private Heartbeat.Census scraped;
    private final Map<String, CounterDataPoint> webhooksBy = new HashMap<>();

    public Metrics() {
        // every series a scraper may graph exists from the start, at 0
        for (var code : ErrorCode.values()) {
            errorsBy.put(code, errors.labelValues(code.wireName()));
        }
        for (var action : ClientMessage.ACTIONS) {
            received(action, 0);
        }
        for (var signal : Signal.values()) {
            relayedBy.put(signal.action(), relayed.labelValues(signal.action()));
        }
        relayedBy.put(POST, relayed.labelValues(POST));
        for (var code : CloseCode.values()) {
            closedBy.put(code.code(), closes.labelValues(Integer.toString(code.code())));
        }
        refusedRateLimited = rateLimited.labelValues();
        for (var outcome : new String[]{WEBHOOK_OK, WEBHOOK_RETRY, WEBHOOK_DROPPED}) {
            webhooksBy.put(outcome, webhooks.labelValues(outcome));
        }
    }

    @PostConstruct
    void gauges() {
        GaugeWithCallback.builder()
                .name("rendezvous_connections")
                .help("Open WebSocket connections that started, by protocol (0: the tutorial's start, 1: hello)")
                .labelNames("protocol")
                .callback(callback -> {
                    var census = census();
                    callback.call(census.seed(), "0");
                    callback.call(census.sessions(), "1");
                })
                .register(registry);
        gauge("rendezvous_rooms", "Rooms that exist now", () -> rooms.roomCount());
        gauge("rendezvous_room_peers", "Peers seated in rooms now", () -> rooms.seatedCount());
        gauge("rendezvous_cluster_nodes", "Nodes of this node's cluster alive now, this one included (1 on its own)",
                () -> rooms.nodeCount());
        gauge("rendezvous_outbox_bytes", "Characters of JSON waiting for, or in flight to, all clients",
                () -> census().outboxBytes());
    }

    @Override
    public void received(String action) {
        received(action, 1);
    }

    private void received(String action, long count) {
        counted(receivedBy, action, received::labelValues).inc(count);
    }

    @Override
    public void relayed(String action) {
        counted(relayedBy, action, relayed::labelValues).inc();
    }

    @Override
    public void refused(ErrorCode code) {
        errorsBy.get(code).inc();
        if (code == ErrorCode.RATE_LIMITED) {
            refusedRateLimited.inc();
        }
    }

    @Override
    public void closed(int code) {
        counted(closedBy, code, key -> closes.labelValues(Integer.toString(key))).inc();
    }

    @Override
    public void joined(long nanos) {
        joins.observe(nanos / NANOS_PER_SECOND);
    }

    /** How many messages were relayed on since the application started, over all actions. */
    public long relayedTotal() {
        return relayedBy.values().stream().mapToLong(CounterDataPoint::getLongValue).sum();
    }

    /** A webhook try ended with {@code outcome}: {@link #WEBHOOK_OK}, {@link #WEBHOOK_RETRY} or {@link #WEBHOOK_DROPPED}. */
    void webhook(String outcome) {
        webhooksBy.get(outcome).inc();
    }

    /** Writes every metric in the format {@code accept} asks for (Prometheus text unless it asks for OpenMetrics). */
    public String write(String accept, OutputStream out) throws IOException {
        var writer = formats.findWriter(accept == null ? "" : accept);
        MetricSnapshots snapshots;
        synchronized (this) { // one census (one look at every connection) serves all the gauges of this scrape
            scraped = heartbeat.census();
            try {
                snapshots = registry.scrape();
            } finally {
                scraped = null;
            }
        }
        writer.write(out, snapshots);
        return writer.getContentType();
    }

    /** The census of the scrape in progress (its gauges are read on the scraping thread), else a fresh one. */
    private synchronized Heartbeat.Census census() {
        return scraped != null ? scraped : heartbeat.census();
    }

    private static <K> CounterDataPoint counted(ConcurrentMap<K, CounterDataPoint> points, K key,
                                                Function<K, CounterDataPoint> point) {
        var found = points.get(key); // the common case, without computeIfAbsent's lock on a miss
        return found != null ? found : points.computeIfAbsent(key, point);
    }

    private Counter counter(String name, String help, String... labels) {
        var counter = Counter.builder().name(name).help(help).withoutExemplars();
        return (labels.length == 0 ? counter : counter.labelNames(labels)).register(registry);
    }

    private void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsDouble()))
                .register(registry);
    }
}
