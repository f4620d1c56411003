package dev.rendezvous.cluster;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ServerMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * What reached a peer after its node died and before its client resumed on another node, as the store kept it
 * ({@code takeover.lua}'s {@code late}): frames relayed to it ({@code - <frame>}), and its room's news
 * ({@code N <news>}), which become the frames its node would have sent it: {@code peer-joined}, {@code peer-left},
 * {@code peer-state}, {@code room-closed}. News of itself, or that a member only moved, is nothing to it.
 */
final class Missed {

    private Missed() {
    }

    /** The frames, in order, that {@code entries} (as kept for {@code peer}) stand for. */
    static List<String> frames(PeerId peer, List<String> entries) {
        var frames = new ArrayList<String>(entries.size());
        for (var entry : entries) {
            if (entry.startsWith("- ")) {
                frames.add(entry.substring(2));
            } else if (entry.startsWith("N ")) {
                var heard = heard(peer, ChannelMessage.parse(entry.substring(2)));
                if (heard != null) {
                    frames.add(Frame.of(heard).json());
                }
            } else {
                throw new IllegalArgumentException("not an entry kept for a peer: " + entry);
            }
        }
        return frames;
    }

    /** What {@code peer}, a member of the room, hears of {@code news}: null if nothing. */
    private static ServerMessage heard(PeerId peer, ChannelMessage news) {
        var hearing = new Hearing(peer);
        news.handledBy(hearing);
        return hearing.heard;
    }

    /** What one member hears of one piece of its room's news. */
    private static final class Hearing implements ChannelMessage.Handler {
        private final PeerId peer;
        private ServerMessage heard;

        Hearing(PeerId peer) {
            this.peer = peer;
        }

        @Override
        public void joined(ChannelMessage.Joined joined) {
            var member = joined.member();
            if (!member.peer().equals(peer)) {
                heard = new ServerMessage.PeerJoined(joined.room(), new Member(member.peer(), member.displayName(), false, member.userId()));
            }
        }

        @Override
        public void left(ChannelMessage.Left left) {
            if (!left.peer().equals(peer)) {
                heard = new ServerMessage.PeerLeft(left.room(), left.peer(), left.reason());
            }
        }

        @Override
        public void away(ChannelMessage.Away away) {
            if (!away.peer().equals(peer)) {
                heard = new ServerMessage.PeerState(away.room(), away.peer(), ServerMessage.PeerState.Connectivity.RECONNECTING);
            }
        }

        @Override
        public void moved(ChannelMessage.Moved moved) {
            if (!moved.peer().equals(peer) && moved.back()) {
                heard = new ServerMessage.PeerState(moved.room(), moved.peer(), ServerMessage.PeerState.Connectivity.CONNECTED);
            }
        }

        @Override
        public void closed(ChannelMessage.Closed closed) {
            heard = new ServerMessage.RoomClosed(closed.room());
        }

        @Override
        public void kick(ChannelMessage.Kick kick) {
            // not news of a room
        }

        @Override
        public void release(ChannelMessage.Release release) {
            // not news of a room
        }

        @Override
        public void released(ChannelMessage.Released released) {
            // not news of a room
        }

        @Override
        public void forwarded(ChannelMessage.Forwarded forwarded) {
            // not news of a room
        }

        @Override
        public void relay(ChannelMessage.Relay relay) {
            // not news of a room
        }
    }
}
