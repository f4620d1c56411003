package dev.rendezvous.signaling;

import com.sun.tools.attach.VirtualMachine;
import dev.rendezvous.operations.boundary.SignalingMXBean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MXBean {@code dev.rendezvous:type=Signaling} of the running server, reached as jconsole reaches a local JVM: the
 * test attaches to the server's process (found by the options the build started it with) and asks it for its local
 * JMX connector. Every operation is checked by what the clients see.
 */
class ManagementIT {

    private static JMXConnector connector;
    private static SignalingMXBean signaling;

    @BeforeAll
    static void attach() throws Exception {
        var marker = "-Drendezvous.allowed-origins=http://localhost:" + Server.httpPort();
        var server = ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(arguments -> Arrays.asList(arguments).contains(marker)
                        || Arrays.stream(arguments).anyMatch(argument -> argument.startsWith(marker))).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no process of this user runs with " + marker));
        var vm = VirtualMachine.attach(Long.toString(server.pid()));
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
        signaling = JMX.newMXBeanProxy(connector.getMBeanServerConnection(),
                new ObjectName("dev.rendezvous:type=Signaling"), SignalingMXBean.class);
    }

    @AfterAll
    static void detach() throws Exception {
        if (connector != null) {
            connector.close();
        }
    }

    private static String room() {
        return "ops-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theCountsFollowWhatClientsDo() throws Exception {
        var room = room();
        var relayedBefore = signaling.getMessagesRelayed();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = SignalClient.inRoom(room, "Bob")) {
            ann.expect("peer-joined");
            assertTrue(signaling.getSessions() >= 2, "sessions: " + signaling.getSessions());
            assertTrue(signaling.getPeers() >= 2, "peers: " + signaling.getPeers());
            assertTrue(signaling.getRooms() >= 1, "rooms: " + signaling.getRooms());
            assertEquals(1, signaling.getClusterNodes(), "a server on its own");
            for (var i = 0; i < 3; i++) {
                ann.send("{'action':'offer','data':{'to':'" + bob.id() + "','description':{'type':'offer','sdp':'v=0'}}}");
                bob.expect("offer");
            }
            assertTrue(signaling.getMessagesRelayed() >= relayedBefore + 3, "relayed: " + signaling.getMessagesRelayed());
        }
    }

    @Test
    void kickClosesThePeer4010AndItsRoomHearsKicked() throws Exception {
        var room = room();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = new RawClient()) {
            bob.send("{'action':'hello','txn':'h','data':{'protocol':1}}");
            var bobId = bob.next().getJsonObject("data").getString("peerId");
            bob.send("{'action':'join','txn':'j','data':{'room':'" + room + "'}}");
            assertEquals("joined", bob.next().getString("action"));
            ann.expect("peer-joined");
            assertTrue(signaling.kick(bobId, "spamming"));
            assertEquals(4010, bob.expectClose());
            var left = ann.expect("peer-left").getJsonObject("data");
            assertEquals(bobId, left.getString("peerId"));
            assertEquals("kicked", left.getString("reason"));
            assertFalse(signaling.kick(bobId, null), "gone already");
        }
    }

    @Test
    void aLockedRoomRefusesNewcomersUntilUnlocked() throws Exception {
        var room = room();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = SignalClient.hello()) {
            assertTrue(signaling.lock(room));
            bob.send("{'action':'join','txn':'j','data':{'room':'" + room + "'}}");
            bob.expectError("room-locked");
            assertTrue(signaling.unlock(room));
            bob.join(room, "Bob");
            ann.expect("peer-joined");
        }
        assertFalse(signaling.lock("ops-no-such-room"));
    }

    @Test
    void closingARoomTellsEveryMemberRoomClosedAndKeepsTheirSockets() throws Exception {
        var room = room();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = SignalClient.inRoom(room, "Bob")) {
            ann.expect("peer-joined");
            assertTrue(signaling.close(room));
            assertEquals(room, ann.expect("room-closed").getJsonObject("data").getString("room"));
            assertEquals(room, bob.expect("room-closed").getJsonObject("data").getString("room"));
            ann.expectNothingElse();
            bob.expectNothingElse();
            assertFalse(signaling.close(room), "the room is gone");
        }
    }
}
