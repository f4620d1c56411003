package dev.rendezvous.webapp;

import dev.rendezvous.signaling.Server;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Ann, Bob and Carol: three real browsers that a test class shares, and the way they meet in a room. */
final class Trio implements AutoCloseable {

    final Browser ann;
    final Browser bob;
    final Browser carol;

    private Trio(Browser ann, Browser bob, Browser carol) {
        this.ann = ann;
        this.bob = bob;
        this.carol = carol;
    }

    /** Three fresh browsers; a browser that could not start closes the ones that did. */
    static Trio launch() throws IOException {
        var started = new ArrayList<Browser>();
        try {
            for (var name : List.of("Ann", "Bob", "Carol")) {
                started.add(Browser.launch(name));
            }
        } catch (IOException | RuntimeException failed) {
            for (var browser : started) {
                browser.close();
            }
            throw failed;
        }
        return new Trio(started.get(0), started.get(1), started.get(2));
    }

    List<Browser> all() {
        return List.of(ann, bob, carol);
    }

    /** The names of the two others, as {@code browser} shows them on its tiles. */
    List<String> othersOf(Browser browser) {
        return all().stream().filter(other -> other != browser).map(other -> other.name).toList();
    }

    /** Everyone joins {@code room} directly. */
    void joinAll(String room) {
        joinAll(room, browser -> Server.httpUri("/"));
    }

    /**
     * Everyone joins {@code room} through its server at {@code base}, one after another, and each waits until it sees
     * everyone who came before; then until every call is connected and shows video.
     */
    void joinAll(String room, Function<Browser, URI> base) {
        var joined = new ArrayList<Browser>();
        for (var browser : all()) {
            browser.join(base.apply(browser), room);
            var before = joined.size();
            browser.until(d -> browser.connectionStates().size() == before && browser.visible("#room"));
            joined.add(browser);
        }
        for (var browser : joined) {
            browser.until(d -> browser.connectionStates().size() == 2
                    && browser.connectionStates().values().stream().allMatch("connected"::equals)
                    && browser.remoteVideoWidths().values().stream().allMatch(width -> width > 0));
        }
    }

    /** Every page hangs up and goes blank, ready for the next test. */
    void idle() {
        all().forEach(Browser::idle);
    }

    @Override
    public void close() throws IOException {
        try (ann; bob; carol) {
            // try-with-resources closes all three, even if one fails
        }
    }
}
