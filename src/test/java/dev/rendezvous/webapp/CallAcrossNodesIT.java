package dev.rendezvous.webapp;

import dev.rendezvous.cluster.ClusterNode;
import dev.rendezvous.cluster.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's two nodes on one Redis: a browser on each holds a call, as behind a round-robin load balancer. */
class CallAcrossNodesIT {

    @Test
    void aBrowserOnEachNodeJoinsTheSameRoomAndTheySeeEachOthersVideo() throws Exception {
        try (var redis = RedisServer.start();
             var one = ClusterNode.start("rendezvous-call-1", Map.of("rendezvous.cluster.redis-uri", redis.uri()));
             var two = ClusterNode.start("rendezvous-call-2", Map.of("rendezvous.cluster.redis-uri", redis.uri()));
             var ann = Browser.launch("Ann");
             var bob = Browser.launch("Bob")) {
            ann.join(base(one), "across-nodes");
            bob.join(base(two), "across-nodes");

            for (var browser : new Browser[]{ann, bob}) {
                browser.until(d -> browser.remoteVideoWidths().size() == 1
                        && browser.remoteVideoWidths().values().stream().allMatch(width -> width > 0));
            }
            assertEquals(Map.of("Bob", "connected"), ann.connectionStates());
            assertEquals(Map.of("Ann", "connected"), bob.connectionStates());
            bob.remoteVideoWidths().forEach((who, width) -> assertTrue(width > 0, "Bob sees no video of " + who));
            bob.screenshot(Path.of("target", "screenshots", "call-across-nodes.png"));
        }
    }

    private static URI base(ClusterNode node) {
        return node.uri("/");
    }
}
