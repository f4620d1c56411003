package dev.rendezvous.bench;

import dev.rendezvous.cluster.ClusterNode;
import dev.rendezvous.cluster.RedisServer;
import dev.rendezvous.server.ServerProcess;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster scenario: a Redis and two nodes of the default server (copies of the test server, with the same
 * settings), started here; at each offered rate the latency scenario runs twice, both peers of every pair on node one
 * ("1-node"), then each pair split over the two ("2-nodes"), and the server CPU per message counts both nodes' and
 * the Redis's in both runs, so the figures compare the same cluster with and without traffic between its nodes.
 */
final class AcrossNodes {

    private AcrossNodes() {
    }

    static List<Measurement> run(Target target) throws Exception {
        var measurements = new ArrayList<Measurement>();
        try (var redis = RedisServer.start();
             var one = ClusterNode.start("rendezvous-bench-1", properties(redis, "bench-1"));
             var two = ClusterNode.start("rendezvous-bench-2", properties(redis, "bench-2"))) {
            var first = ServerProcess.listeningOn(one.httpPort);
            var others = List.of(ServerProcess.listeningOn(two.httpPort), ServerProcess.listeningOn(redis.port));
            var sameNode = new Target(target.http(), signal(one), first, target.options(), signal(one), others);
            var acrossNodes = new Target(target.http(), signal(one), first, target.options(), signal(two), others);
            for (var rate : target.options().rates()) {
                Benchmark.progress("nodes: " + rate + " msg/s offered, each pair on one node");
                measurements.add(FixedRateLatency.run(sameNode, rate, "1-node", ", both on node 1 of 2"));
                Benchmark.progress("nodes: " + rate + " msg/s offered, each pair across the two nodes");
                measurements.add(FixedRateLatency.run(acrossNodes, rate, "2-nodes", ", one on each node"));
            }
        }
        return measurements;
    }

    private static Map<String, String> properties(RedisServer redis, String node) {
        return Map.of("rendezvous.cluster.redis-uri", redis.uri(), "rendezvous.cluster.node-id", node);
    }

    private static URI signal(ClusterNode node) {
        return URI.create("ws://localhost:" + node.httpPort + "/signal");
    }
}
