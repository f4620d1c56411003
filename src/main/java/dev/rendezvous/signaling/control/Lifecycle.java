package dev.rendezvous.signaling.control;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where the application is in its life, for whoever tells a load balancer: {@link State#STARTING} until
 * {@code /signal} is deployed, {@link State#SERVING} then, {@link State#STOPPING} once the application is being
 * undeployed or the server shut down; and, in a cluster, whether this node reaches the store the nodes share. Written
 * by the thread that deploys or undeploys (and the cluster's watch), read by any.
 */
@ApplicationScoped
public class Lifecycle {

    public enum State {
        STARTING("the application is starting: /signal is not deployed yet"),
        SERVING(null),
        STOPPING("the application is stopping");

        private final String reason;

        State(String reason) {
            this.reason = reason;
        }

        /** Why this state serves no new sockets; null if it does. */
        public String reason() {
            return reason;
        }
    }

    private volatile State state = State.STARTING;
    /** Why this node of a cluster cannot reach the store the nodes share, or null while it can (or has none). */
    private volatile String unreachable;

    public State state() {
        return state;
    }

    /**
     * Why no new sockets should be sent here now: the state's reason, or, while serving, why this node of a cluster
     * cannot reach the nodes' store; null when they should.
     */
    public String notReady() {
        var current = state;
        return current.reason() != null ? current.reason() : unreachable;
    }

    /** This node of a cluster cannot reach the store the nodes share, for {@code why}: it is not ready. */
    public void cannotReach(String why) {
        unreachable = why;
    }

    /** This node of a cluster reaches the nodes' store (again). */
    public void reaches() {
        unreachable = null;
    }

    /** {@code /signal} is deployed and takes sockets. */
    public void serving() {
        if (state == State.STARTING) {
            state = State.SERVING;
        }
    }

    /** The application is going away: nothing new should be sent here. */
    public void stopping() {
        state = State.STOPPING;
    }
}
