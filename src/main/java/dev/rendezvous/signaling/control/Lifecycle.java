package dev.rendezvous.signaling.control;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where the application is in its life, for whoever tells a load balancer: {@link State#STARTING} until
 * {@code /signal} is deployed, {@link State#SERVING} then, {@link State#STOPPING} once the application is being
 * undeployed or the server shut down. Written by the thread that deploys or undeploys, read by any.
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

    public State state() {
        return state;
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
