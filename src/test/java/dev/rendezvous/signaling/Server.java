package dev.rendezvous.signaling;

import java.net.URI;

/** Where the server under test is: the build's {@code rendezvous.url} (set per server profile), else the default. */
public final class Server {

    private Server() {
    }

    public static URI httpUri(String path) {
        return URI.create(base() + path);
    }

    /** The port the server's plain HTTP listens on, whichever scheme the suite runs over. */
    public static int httpPort() {
        return URI.create(System.getProperty("rendezvous.http.url", base())).getPort();
    }

    /** Which server this is (liberty, payara, wildfly), for the few rules a container decides itself. */
    public static String kind() {
        return System.getProperty("rendezvous.server", "liberty");
    }

    /** {@code /signal} over plain ws, whichever scheme the suite runs over. */
    public static URI plainSignalUri() {
        return plainSignalUri("");
    }

    /** {@code /signal} of the deployment at {@code contextRoot} over plain ws, whichever scheme the suite runs over. */
    public static URI plainSignalUri(String contextRoot) {
        return URI.create("ws://" + signalUri().getHost() + ":" + httpPort() + contextRoot + "/signal");
    }

    public static URI signalUri() {
        return signalUri("");
    }

    /** {@code /signal} of the deployment at {@code contextRoot} (e.g. {@code /rendezvous-auth-hs256}). */
    public static URI signalUri(String contextRoot) {
        return URI.create(base().replaceFirst("^http", "ws") + contextRoot + "/signal");
    }

    private static String base() {
        return System.getProperty("rendezvous.url", "http://localhost:9080").replaceAll("/+$", "");
    }
}
