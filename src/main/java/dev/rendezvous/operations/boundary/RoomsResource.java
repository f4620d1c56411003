package dev.rendezvous.operations.boundary;

import dev.rendezvous.operations.control.Operator;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.control.Rooms;
import dev.rendezvous.signaling.entity.Room;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.io.StringReader;
import java.util.function.Function;

/**
 * {@code /admin/rooms}: the rooms and their peers as they are now, and what an operator may do to them. Every POST
 * must say {@code Content-Type: application/json} (a cross-site form cannot, so a browser that holds an operator's
 * credentials cannot be made to act by another site's page); a room or peer that does not exist, or could not (an
 * invalid name), is 404.
 */
@Path("rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomsResource {

    @Inject
    Rooms rooms;
    @Inject
    Operator operator;
    @Context
    SecurityContext security;

    @GET
    public JsonArray all() {
        var all = Json.createArrayBuilder();
        rooms.snapshot().forEach(room -> all.add(json(room)));
        return all.build();
    }

    @GET
    @Path("{room}")
    public Response one(@PathParam("room") String room) {
        return withRoom(room, name -> rooms.snapshot(name)
                .map(found -> Response.ok(json(found)).build())
                .orElseGet(() -> noSuch("room " + room)));
    }

    /** Body, optional: {@code {"reason":"…"}}, the close reason the kicked peer's socket gets. */
    @POST
    @Path("{room}/peers/{peer}/kick")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response kick(@PathParam("room") String room, @PathParam("peer") String peer, String body) {
        String reason;
        try {
            reason = reason(body);
        } catch (JsonException | ClassCastException | IllegalStateException invalid) {
            return problem(Response.Status.BAD_REQUEST, "the body must be empty or {\"reason\":\"...\"}");
        }
        PeerId id;
        try {
            id = new PeerId(peer);
        } catch (ProtocolException invalid) {
            return noSuch("peer " + peer + " in room " + room);
        }
        return withRoom(room, name -> operator.kick(who(), name, id, reason)
                ? Response.noContent().build()
                : noSuch("peer " + peer + " in room " + room));
    }

    @POST
    @Path("{room}/lock")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response lock(@PathParam("room") String room) {
        return withRoom(room, name -> done(operator.lock(who(), name, true), room));
    }

    @POST
    @Path("{room}/unlock")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response unlock(@PathParam("room") String room) {
        return withRoom(room, name -> done(operator.lock(who(), name, false), room));
    }

    @POST
    @Path("{room}/close")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response close(@PathParam("room") String room) {
        return withRoom(room, name -> done(operator.close(who(), name), room));
    }

    static JsonObject json(Room.Snapshot room) {
        var peers = Json.createArrayBuilder();
        for (var peer : room.peers()) {
            var json = Json.createObjectBuilder()
                    .add("peerId", peer.peerId().value())
                    .add("displayName", peer.displayName() == null ? "" : peer.displayName().value())
                    .add("joinedAt", peer.joinedAt().toString());
            nullable(json, "remoteAddress", peer.remoteAddress());
            nullable(json, "userId", peer.userId());
            if (peer.node() != null) { // in a cluster: the node that carries it
                json.add("node", peer.node());
            }
            peers.add(json);
        }
        return Json.createObjectBuilder()
                .add("room", room.name().value())
                .add("capacity", room.capacity())
                .add("locked", room.locked())
                .add("createdAt", room.createdAt().toString())
                .add("peers", peers)
                .build();
    }

    /** Adds {@code value} under {@code key}, as JSON null if it is null. */
    static void nullable(JsonObjectBuilder json, String key, String value) {
        if (value == null) {
            json.addNull(key);
        } else {
            json.add(key, value);
        }
    }

    private String who() {
        var user = security.getUserPrincipal();
        return "Operator " + (user == null ? "(unknown)" : user.getName()) + " over HTTP";
    }

    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(body))) {
            var reason = reader.readObject().get("reason");
            return reason == null || reason.getValueType() == JsonValue.ValueType.NULL
                    ? null : ((JsonString) reason).getString();
        }
    }

    private static Response withRoom(String room, Function<RoomName, Response> action) {
        RoomName name;
        try {
            name = new RoomName(room);
        } catch (ProtocolException invalid) {
            return noSuch("room " + room);
        }
        return action.apply(name);
    }

    private static Response done(boolean found, String room) {
        return found ? Response.noContent().build() : noSuch("room " + room);
    }

    private static Response noSuch(String what) {
        return problem(Response.Status.NOT_FOUND, "no " + what);
    }

    private static Response problem(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", message).build()).build();
    }
}
