package dev.rendezvous.signaling.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Answers the HTTP requests to {@code /signal} that did not become a WebSocket, alike on every container: a handshake
 * from a web origin the operator did not allow is 403 (Undertow, on WildFly, passes such a handshake on down the filter
 * chain, where it would be a 404; Open Liberty and Payara answer 403 themselves and never get here), anything else is
 * 426 Upgrade Required.
 */
@WebServlet("/signal")
public class HandshakeFallback extends HttpServlet {

    @Inject
    Connections connections;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var origin = request.getHeader("Origin");
        if (origin != null && !connections.allowsOrigin(origin)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "this origin may not open a socket here");
            return;
        }
        // setStatus, not sendError: a container may drop the headers set before an error page
        response.setStatus(426);
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "Upgrade");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("/signal speaks WebSocket only: open it with new WebSocket(url)");
    }
}
