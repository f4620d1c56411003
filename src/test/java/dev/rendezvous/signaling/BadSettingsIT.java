package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A setting out of range fails the deployment, naming the property, before any socket is served. On the default server
 * (Open Liberty): the WAR under test, with {@code rendezvous.room-capacity=0} in its own
 * {@code microprofile-config.properties}, is dropped into the running test server's {@code dropins/}.
 */
class BadSettingsIT {

    private static final String NAME = "rendezvous-bad-settings";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aSettingOutOfRangeFailsTheDeploymentAndTheLogNamesTheProperty() throws Exception {
        var serverDir = System.getProperty("rendezvous.liberty.server.dir");
        assumeTrue(Server.kind().equals("liberty") && serverDir != null, "deployed and watched on the default server");
        var dropped = Path.of(serverDir, "dropins", NAME + ".war");
        var log = Path.of(serverDir, "logs", "messages.log");
        var logged = Files.size(log);
        try {
            withSetting(Path.of(System.getProperty("rendezvous.war")), dropped, "rendezvous.room-capacity=0");
            var failure = awaitLogLine(log, logged, "rendezvous.room-capacity is '0' but must be between 1 and 1000");
            System.out.println("The deployment failed as it should: " + failure);
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var page = client.send(HttpRequest.newBuilder(Server.httpUri("/" + NAME + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertNotEquals(200, page.statusCode(), "the application must not serve after a failed start");
        } finally {
            Files.deleteIfExists(dropped);
        }
    }

    /** Copies the WAR with {@code setting} in its MicroProfile Config file, atomically, so the server never sees half of it. */
    private static void withSetting(Path war, Path target, String setting) throws IOException {
        var partial = target.resolveSibling(NAME + ".tmp");
        try (var in = new ZipInputStream(Files.newInputStream(war)); var out = new ZipOutputStream(Files.newOutputStream(partial))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("WEB-INF/classes/META-INF/microprofile-config.properties"));
            out.write((setting + "\n").getBytes());
            out.closeEntry();
        }
        Files.move(partial, target);
    }

    /** The first line after {@code from} that contains {@code text}, waiting for the server to write it (a bounded poll). */
    private static String awaitLogLine(Path log, long from, String text) throws IOException, InterruptedException {
        var deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            var content = Files.readString(log);
            var found = content.substring((int) Math.min(from, content.length())).lines().filter(line -> line.contains(text)).findFirst();
            if (found.isPresent()) {
                return found.get().strip();
            }
            TimeUnit.MILLISECONDS.sleep(200); // the log has no event to wait on
        }
        throw new AssertionError("the server did not log '" + text + "' within " + PATIENCE);
    }
}
