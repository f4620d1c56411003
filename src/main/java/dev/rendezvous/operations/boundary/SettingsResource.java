package dev.rendezvous.operations.boundary;

import dev.rendezvous.cluster.ClusterSettings;
import dev.rendezvous.operations.control.Reporting;
import dev.rendezvous.signaling.control.Settings;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /admin/settings}: every Rendezvous property with the value in force (a default where none is set, null for
 * an optional one that is not), secrets as {@code ***}.
 */
@Path("settings")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    @Inject
    Settings settings;
    @Inject
    Reporting reporting;
    @Inject
    ClusterSettings cluster;

    @GET
    public JsonObject inForce() {
        var json = Json.createObjectBuilder();
        settings.inForce().forEach((name, value) -> RoomsResource.nullable(json, name, value));
        reporting.inForce().forEach((name, value) -> RoomsResource.nullable(json, name, value));
        cluster.inForce().forEach((name, value) -> RoomsResource.nullable(json, name, value));
        return json.build();
    }
}
