package dev.rendezvous.operations.boundary;

import dev.rendezvous.operations.control.Metrics;
import dev.rendezvous.operations.control.Reporting;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET /admin/metrics}: every metric in Prometheus' text format (or OpenMetrics, if the scraper asks for it).
 * {@code web.xml} leaves this path to the application: it answers anyone with {@code rendezvous.metrics.public=true},
 * else only the role {@code rendezvous-admin}, whose credentials it has the container check (HTTP BASIC: none, or
 * wrong ones, are answered 401 with {@code WWW-Authenticate}; a user without the role 403).
 */
@WebServlet("/admin/metrics")
public class MetricsServlet extends HttpServlet {

    private static final String CHALLENGE = "WWW-Authenticate";
    /** As {@code web.xml}'s {@code login-config} names it. */
    private static final String REALM = "Rendezvous operations";

    @Inject
    Metrics metrics;
    @Inject
    Reporting reporting;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!reporting.metricsPublic() && !admitted(request, response)) {
            return;
        }
        var body = new ByteArrayOutputStream(16 * 1024);
        var type = metrics.write(request.getHeader("Accept"), body);
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }

    /** Whether the request is an operator's; if not, it has been answered 401 (with a challenge) or 403. */
    private static boolean admitted(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (request.getUserPrincipal() == null && !authenticated(request, response)) {
            if (!response.isCommitted()) {
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                if (!response.containsHeader(CHALLENGE)) {
                    response.setHeader(CHALLENGE, "Basic realm=\"" + REALM + "\"");
                }
            }
            return false;
        }
        if (!request.isUserInRole(Admin.ROLE)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return false;
        }
        return true;
    }

    /**
     * Has the container check the request's BASIC credentials. Open Liberty and Payara answer a request without (valid)
     * ones 401 with their challenge and return false; Undertow (WildFly) throws instead and leaves the answer to us.
     */
    private static boolean authenticated(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            return request.authenticate(response);
        } catch (ServletException refused) {
            return false; // no or wrong credentials: the caller answers 401
        }
    }
}
