package dev.rendezvous.protocol;

import java.util.List;

/**
 * One entry of the {@code RTCConfiguration.iceServers} a client should use: STUN URLs alone, or TURN URLs with
 * (short-lived) credentials. Null username and credential are left out of the JSON.
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(urls);
    }
}
