package dev.rendezvous.access;

/** A {@code hello} token that grants nothing; {@link #getMessage()} says why, in words fit for the client and the log. */
public final class TokenRefused extends Exception {

    public TokenRefused(String why) {
        super(why, null, false, false);
    }
}
