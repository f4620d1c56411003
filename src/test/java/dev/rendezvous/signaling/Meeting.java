package dev.rendezvous.signaling;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients seated in one room, in order, each having already heard {@code peer-joined} for everyone after it: a test
 * starts from a quiet, fully joined room.
 */
public final class Meeting implements AutoCloseable {

    private final List<SignalClient> members = new ArrayList<>();

    private Meeting() {
    }

    public static Meeting of(String room, String... displayNames) throws IOException {
        var meeting = new Meeting();
        try {
            for (var name : displayNames) {
                meeting.members.add(SignalClient.inRoom(room, name));
            }
            for (var i = 0; i < meeting.members.size(); i++) {
                for (var later = i + 1; later < meeting.members.size(); later++) {
                    meeting.members.get(i).expect("peer-joined");
                }
            }
            return meeting;
        } catch (IOException | RuntimeException | Error failed) {
            meeting.close();
            throw failed;
        }
    }

    /** The member that joined {@code index}-th (0 first). */
    public SignalClient get(int index) {
        return members.get(index);
    }

    public List<SignalClient> members() {
        return List.copyOf(members);
    }

    @Override
    public void close() throws IOException {
        for (var member : members) {
            member.close();
        }
    }
}
