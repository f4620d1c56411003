package dev.rendezvous.operations.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The admin API and the ops page under {@code /admin/}: the container lets in only the role {@code rendezvous-admin},
 * over HTTP BASIC ({@code web.xml}); {@code /admin/metrics} decides for itself ({@link MetricsServlet}).
 */
@ApplicationPath("admin")
public class Admin extends Application {

    /** The role an operator needs, granted by the server's own user registry (see {@code server-config/}). */
    public static final String ROLE = "rendezvous-admin";
}
