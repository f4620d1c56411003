package dev.rendezvous.signaling.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers the HTTP requests to {@code /signal} that did not become a WebSocket, alike on every container: a handshake
 * from a web origin the operator did not allow is 403 (Undertow, on WildFly, passes such a handshake on down the filter
 * chain, where it would be a 404; Open Liberty and Payara answer 403 themselves and never get here), anything else is
 * 426 Upgrade Required.
 */
@WebServlet("/signal")
public class HandshakeFallback extends HttpServlet {

    private static final byte[] EXPLANATION =
            "/signal speaks WebSocket only: open it with new WebSocket(url)\n".getBytes(StandardCharsets.US_ASCII);

    @Inject
    Connections connections;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var origin = request.getHeader("Origin");
        if (origin != null && !connections.allowsOrigin(origin)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "this origin may not open a socket here");
            return;
        }
        // setStatus, not sendError: a container may drop the headers set before an error page. Payara's Grizzly takes
        // any response with an Upgrade header for a switch of protocols and never ends its body; closing the
        // connection after it ends it there, and costs a client that asked plain HTTP of a WebSocket URL little.
        response.setStatus(426);
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "close");
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(EXPLANATION.length);
        response.getOutputStream().write(EXPLANATION);
    }
}
