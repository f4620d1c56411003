package dev.rendezvous.signaling.boundary;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The client address of each {@code /signal} socket, which the WebSocket API does not expose (jakartaee/websocket#255):
 * the container tells this listener of the upgrade request, on the thread that then runs the handshake, before it
 * calls {@link Handshake#modifyHandshake}; that copies it into the connection's own user properties (per connection
 * since WebSocket 2.1), which become the session's. The address is the peer of the TCP connection: behind a reverse
 * proxy it is the proxy's, unless the container is told to take the forwarded one (its own {@code X-Forwarded-For}
 * setting), so a client cannot claim an address with a header.
 */
@WebListener
public class RemoteAddress implements ServletRequestListener {

    private static final String PROPERTY = RemoteAddress.class.getName();
    private static final String ENDPOINT = PROPERTY + ".endpoint";
    private static final ThreadLocal<HttpServletRequest> HANDSHAKING = new ThreadLocal<>();

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        if (event.getServletRequest() instanceof HttpServletRequest http && http.getHeader("Sec-WebSocket-Key") != null) {
            HANDSHAKING.set(http);
        }
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        HANDSHAKING.remove();
    }

    /** In the handshake: keeps the address of the request being upgraded with the connection's properties. */
    static void keep(ServerEndpointConfig connection) {
        var request = HANDSHAKING.get();
        if (request != null) {
            var address = request.getRemoteAddr();
            connection.getUserProperties().put(PROPERTY, address);
            connection.getUserProperties().put(ENDPOINT,
                    (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + request.getRemotePort());
        }
    }

    /** The client address of {@code session}, or null if the container did not let the handshake see it. */
    static String of(Session session) {
        return session.getUserProperties().get(PROPERTY) instanceof String address ? address : null;
    }

    /** The client address and port of {@code session} ({@code ip:port}, IPv6 in brackets), or null. */
    static String endpointOf(Session session) {
        return session.getUserProperties().get(ENDPOINT) instanceof String endpoint ? endpoint : null;
    }
}
