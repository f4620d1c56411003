package dev.rendezvous.signaling.boundary;

import dev.rendezvous.signaling.control.Heartbeat;
import dev.rendezvous.signaling.control.Rooms;
import dev.rendezvous.signaling.control.Settings;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What every connection shares: the registry, the settings, the heartbeat, and the executor that closes sockets.
 *
 * <p>Closes run on their own executor, at most two at a time: a container may hold the closing thread until the peer
 * answers the close (Open Liberty waits about five seconds for a peer that does not read), and a crowd of dead peers
 * must not take the threads that serve the live ones.
 */
@ApplicationScoped
@ManagedExecutorDefinition(name = Connections.CLOSER, maxAsync = 2)
public class Connections {

    static final String CLOSER = "java:app/concurrent/rendezvous-closer";

    @Inject
    Rooms rooms;

    @Inject
    Settings settings;

    @Inject
    Heartbeat heartbeat;

    @Resource(lookup = CLOSER)
    ManagedExecutorService closer;

    boolean allowsOrigin(String origin) {
        return settings.allowsOrigin(origin);
    }

    Rooms rooms() {
        return rooms;
    }

    Settings settings() {
        return settings;
    }

    Heartbeat heartbeat() {
        return heartbeat;
    }

    ManagedExecutorService closer() {
        return closer;
    }
}
