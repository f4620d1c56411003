package dev.rendezvous.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on loopback in front of the server, for a browser whose network the test can cut: {@link #cut()} resets
 * every connection through it, as a Wi-Fi handover would, and refuses new ones until {@link #restore()}. Bytes pass
 * through untouched, TLS included; the page's origin is the proxy's, which the test server allows.
 */
final class CuttableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean down = new AtomicBoolean();
    private final Thread acceptor;

    CuttableProxy(int port, InetSocketAddress target) throws IOException {
        this.listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.acceptor = new Thread(this::accept, "proxy-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Resets every connection now, and every new one until {@link #restore()}. */
    void cut() {
        down.set(true);
        open.forEach(CuttableProxy::reset);
    }

    /** Lets connections through again. */
    void restore() {
        down.set(false);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var client = listener.accept();
                if (down.get()) {
                    reset(client);
                    continue;
                }
                var server = new Socket();
                server.connect(target, 5_000);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException stopped) {
                if (!listener.isClosed()) {
                    System.out.println("proxy: a connection failed: " + stopped);
                }
            }
        }
    }

    /** Copies one direction until either side ends, then ends both. */
    private void pump(Socket from, Socket to) {
        var thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                var buffer = new byte[16 * 1024];
                for (var read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ended) {
                // one side is gone: the other goes too
            } finally {
                reset(from);
                reset(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends a connection with a TCP reset: no FIN, no close frame, nothing more. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException alreadyClosed) {
            // closing below is all that is left to do
        }
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // it is closed either way
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(CuttableProxy::reset);
    }
}
