package dev.rendezvous.protocol;

/**
 * A room member as another member sees it. {@code polite} tells whether that member plays the polite role of
 * perfect negotiation in the pair (the earlier member of every pair is polite; the receiver plays the other role).
 * {@code displayName} is null when the member gave none.
 */
public record Member(PeerId peerId, DisplayName displayName, boolean polite) {
}
