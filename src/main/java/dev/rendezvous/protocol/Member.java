package dev.rendezvous.protocol;

/**
 * A room member as another member sees it. {@code polite} tells whether that member plays the polite role of
 * perfect negotiation in the pair (the earlier member of every pair is polite; the receiver plays the other role).
 * {@code displayName} is null when the member gave none; {@code userId} (the {@code sub} of its token) is null when
 * access control is off.
 */
public record Member(PeerId peerId, DisplayName displayName, boolean polite, String userId) {

    /** A member of a server with access control off. */
    public Member(PeerId peerId, DisplayName displayName, boolean polite) {
        this(peerId, displayName, polite, null);
    }
}
