package dev.rendezvous.operations.boundary;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;

/**
 * The ops page at {@code /admin/}: static files of the WAR ({@code WEB-INF/ops/}), served here because the admin API
 * holds every path under {@code /admin/}, and so behind the same role. {@code /admin} is sent to {@code /admin/}, where
 * the page's relative paths resolve.
 */
@Path("")
public class OpsPage {

    private static final String FILES = "/WEB-INF/ops/";

    @Context
    ServletContext context;
    @Context
    UriInfo uri;

    @GET
    public Response page() throws IOException {
        if (!uri.getAbsolutePath().getPath().endsWith("/")) {
            return Response.seeOther(uri.getAbsolutePathBuilder().path("/").build()).build();
        }
        return file("index.html", "text/html; charset=utf-8");
    }

    @GET
    @Path("ops.js")
    public Response script() throws IOException {
        return file("ops.js", "text/javascript; charset=utf-8");
    }

    @GET
    @Path("ops.css")
    public Response style() throws IOException {
        return file("ops.css", "text/css; charset=utf-8");
    }

    private Response file(String name, String type) throws IOException {
        try (var in = context.getResourceAsStream(FILES + name)) {
            if (in == null) {
                return Response.status(Response.Status.NOT_FOUND).build();
            }
            return Response.ok(in.readAllBytes(), type).header("Cache-Control", "no-cache").build();
        }
    }
}
