package dev.rendezvous.cluster;

import dev.rendezvous.signaling.control.Cluster;
import dev.rendezvous.signaling.control.Lifecycle;
import dev.rendezvous.signaling.control.Rooms;
import dev.rendezvous.signaling.control.Sessions;
import dev.rendezvous.signaling.control.Settings;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Makes this server a node of a cluster when {@code rendezvous.cluster.redis-uri} is set, and leaves it on its own
 * ({@link Cluster#ALONE}) when not: read once as the application starts, joined at once (a store that cannot be
 * reached fails the deployment, naming the property), left as it stops.
 */
@Dependent
public class ClusterConfiguration {

    private static final System.Logger LOG = System.getLogger(ClusterConfiguration.class.getName());

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ScheduledExecutorService timers;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Produces
    @Singleton
    ClusterSettings settings(Config config) {
        try {
            return ClusterSettings.read(name -> config.getOptionalValue(name, String.class));
        } catch (IllegalArgumentException invalid) {
            LOG.log(Level.ERROR, "Rendezvous cannot start: {0}", invalid.getMessage());
            throw invalid;
        }
    }

    @Produces
    @ApplicationScoped
    Cluster cluster(ClusterSettings settings, Settings signaling, Rooms rooms, Sessions sessions, Lifecycle lifecycle) {
        if (!settings.on()) {
            return Cluster.ALONE;
        }
        try {
            return new RedisCluster(settings, rooms, sessions, lifecycle, signaling.resume(), timers, threads);
        } catch (IllegalStateException unreachable) {
            LOG.log(Level.ERROR, "Rendezvous cannot start: {0}", unreachable.getMessage());
            throw unreachable;
        }
    }

    /**
     * Static, so that disposing needs no instance of this class: making one while the application stops failed on
     * WildFly at every undeploy (WELD-000019, "Error destroying an instance"), and a clustered node then stopped
     * without leaving the cluster, so the others noticed only once its key expired.
     */
    static void leave(@Disposes Cluster cluster) {
        if (cluster instanceof RedisCluster node) {
            node.close();
        }
    }

    /** Joins the cluster as the application starts, not at the first join, and logs how. */
    void joinAtStart(@Observes @Initialized(ApplicationScoped.class) Object started, ClusterSettings settings, Cluster cluster) {
        LOG.log(Level.INFO, settings.on()
                ? "Rendezvous runs as node " + cluster.node() + " of a cluster: " + settings.inForce()
                : "Rendezvous runs on its own (set rendezvous.cluster.redis-uri to run several nodes)");
    }
}
