package dev.rendezvous.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The WebRTC negotiation messages the server relays from one peer to another without looking inside:
 * their SDP, candidates and any other data fields pass through untouched.
 */
public enum Signal {
    OFFER("offer"),
    ANSWER("answer"),
    /** The room-protocol name of an ICE candidate. */
    CANDIDATE("candidate"),
    /** The seed-protocol (tutorial) name of an ICE candidate; relayed under the same name. */
    ICE_CANDIDATE("iceCandidate"),
    END_OF_CANDIDATES("end-of-candidates"),
    RENEGOTIATE("renegotiate"),
    HANGUP("hangup");

    private static final Map<String, Signal> BY_ACTION =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Signal::action, Function.identity()));

    private final String action;

    Signal(String action) {
        this.action = action;
    }

    /** The {@code action} this signal travels under, both ways. */
    public String action() {
        return action;
    }

    /**
     * Whether the relayed copy names the sender in {@code data.remoteId}: an offer does, so that a tutorial client
     * knows whom to answer; the other signals drop the addressing field ({@code from} names the sender anyway).
     */
    public boolean namesSender() {
        return this == OFFER;
    }

    static Signal forAction(String action) {
        return BY_ACTION.get(action);
    }
}
