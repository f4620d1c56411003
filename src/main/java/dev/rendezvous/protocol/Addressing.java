package dev.rendezvous.protocol;

import jakarta.json.JsonObject;

/** How a client names the peer a message is for: {@code data.to}, or the tutorial's {@code data.remoteId}. */
final class Addressing {

    static final String TO = "to";
    static final String REMOTE_ID = "remoteId";

    private Addressing() {
    }

    static boolean isAddressingField(String name) {
        return TO.equals(name) || REMOTE_ID.equals(name);
    }

    /** The addressee named in {@code data}, or null if none is; both fields naming different peers is refused. */
    static PeerId addressee(JsonObject data) {
        var to = Fields.optionalString(data, TO);
        var remoteId = Fields.optionalString(data, REMOTE_ID);
        if (to != null && remoteId != null && !to.equals(remoteId)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "data.to and data.remoteId name different peers");
        }
        var id = to != null ? to : remoteId;
        return id == null ? null : new PeerId(id);
    }
}
