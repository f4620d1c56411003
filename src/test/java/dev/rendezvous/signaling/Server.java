package dev.rendezvous.signaling;

import java.net.URI;

/** Where the server under test is: the build's {@code rendezvous.url} (set per server profile), else the default. */
public final class Server {

    private Server() {
    }

    public static URI httpUri(String path) {
        return URI.create(base() + path);
    }

    public static URI signalUri() {
        return URI.create(base().replaceFirst("^http", "ws") + "/signal");
    }

    private static String base() {
        return System.getProperty("rendezvous.url", "http://localhost:9080").replaceAll("/+$", "");
    }
}
