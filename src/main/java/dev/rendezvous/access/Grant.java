package dev.rendezvous.access;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.RoomName;

import java.util.Objects;
import java.util.Set;

/**
 * What a verified token lets its bearer do: who the user is ({@code sub}), the name others see ({@code name}, or null
 * to let the client choose), and the rooms it may join ({@code rooms}; {@code ["*"]} is any room).
 */
public record Grant(String userId, DisplayName name, Set<RoomName> rooms, boolean anyRoom) {

    public Grant {
        Objects.requireNonNull(userId);
        rooms = Set.copyOf(rooms);
    }

    public boolean allows(RoomName room) {
        return anyRoom || rooms.contains(room);
    }

    /** The name others see: the token's, when it names one; the client's otherwise. */
    public DisplayName nameOr(DisplayName chosen) {
        return name != null ? name : chosen;
    }
}
