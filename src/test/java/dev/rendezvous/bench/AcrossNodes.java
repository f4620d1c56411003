package dev.rendezvous.bench;

import dev.rendezvous.cluster.ClusterNode;
import dev.rendezvous.cluster.RedisServer;
import dev.rendezvous.server.ServerProcess;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster scenario: a Redis and two nodes of the server under test (from the test server's installation and
 * settings, as the cluster suite starts them: {@link ClusterNode}), started here; at each offered rate the latency
 * scenario runs twice, both peers of every pair on node one ("1-node"), then each pair split over the two ("2-nodes").
 * The server CPU per message counts both nodes' and the Redis's in both runs, so the figures compare the same cluster
 * with and without traffic between its nodes; the report also gives each process's share. Both paths run once,
 * unreported, before any is measured: {@link #warmUp}.
 */
final class AcrossNodes {

    private AcrossNodes() {
    }

    static List<Measurement> run(Target target) throws Exception {
        var measurements = new ArrayList<Measurement>();
        try (var redis = RedisServer.start();
             var one = ClusterNode.start("rendezvous-bench-1", properties(redis, "bench-1"));
             var two = ClusterNode.start("rendezvous-bench-2", properties(redis, "bench-2"))) {
            var serving = List.of(new Target.Serving("node 1", ServerProcess.listeningOn(one.httpPort)),
                    new Target.Serving("node 2", ServerProcess.listeningOn(two.httpPort)),
                    new Target.Serving("redis", ServerProcess.listeningOn(redis.port)));
            var sameNode = new Target(target.http(), signal(one), target.options(), signal(one), serving);
            var acrossNodes = new Target(target.http(), signal(one), target.options(), signal(two), serving);
            warmUp(sameNode, acrossNodes, measurements);
            for (var rate : target.options().rates()) {
                Benchmark.progress("nodes: " + rate + " msg/s offered, each pair on one node");
                measurements.add(FixedRateLatency.run(sameNode, rate, "1-node", ", both on node 1 of 2"));
                Benchmark.progress("nodes: " + rate + " msg/s offered, each pair across the two nodes");
                measurements.add(FixedRateLatency.run(acrossNodes, rate, "2-nodes", ", one on each node"));
            }
        }
        return measurements;
    }

    /**
     * The nodes are fresh JVMs, where the server under test is warm from the scenarios before it: both paths run once
     * at the lowest rate, unreported, so the code they run is compiled before anything is measured (at a high rate
     * cold nodes fall seconds behind, and their store commands time out). Warm-up traffic is checked all the same; if
     * any of it went wrong, its row is reported and fails the run.
     */
    private static void warmUp(Target sameNode, Target acrossNodes, List<Measurement> measurements) throws InterruptedException {
        var rate = sameNode.options().rates().stream().min(Integer::compare).orElseThrow();
        Benchmark.progress("nodes: warming both nodes up, " + rate + " msg/s offered on each path");
        for (var warm : List.of(FixedRateLatency.run(sameNode, rate, "warm-1-node", ", both on node 1 of 2"),
                FixedRateLatency.run(acrossNodes, rate, "warm-2-nodes", ", one on each node"))) {
            if (!warm.correctness().clean()) {
                measurements.add(warm);
            }
        }
    }

    private static Map<String, String> properties(RedisServer redis, String node) {
        return Map.of("rendezvous.cluster.redis-uri", redis.uri(), "rendezvous.cluster.node-id", node);
    }

    private static URI signal(ClusterNode node) {
        return URI.create("ws://localhost:" + node.httpPort + "/signal");
    }
}
