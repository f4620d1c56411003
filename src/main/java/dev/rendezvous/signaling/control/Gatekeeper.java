package dev.rendezvous.signaling.control;

import dev.rendezvous.access.FailureBudget;
import dev.rendezvous.access.Grant;
import dev.rendezvous.access.TokenRefused;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Who may open a session, with access control on: the holder of a token that {@link Settings.Authentication} accepts,
 * from an address that has not failed too often in the last minute. With it off, anyone may. Every refusal is logged
 * once, with the remote address and the reason, never the token.
 */
@ApplicationScoped
public class Gatekeeper {

    private static final System.Logger LOG = System.getLogger(Gatekeeper.class.getName());

    /** A barred address's refusals are logged once a minute at most, with how many went unlogged. */
    private static final long LOG_EVERY = TimeUnit.MINUTES.toNanos(1);
    private static final int FORGET_ABOVE = 4096;

    private Settings.Authentication auth;
    private FailureBudget failures;
    /** Per barred address: when its refusal was last logged, and how many it had since. */
    private final ConcurrentMap<String, long[]> barredLogged = new ConcurrentHashMap<>();

    @Inject
    public Gatekeeper(Settings settings) {
        this.auth = settings.auth();
        this.failures = new FailureBudget(auth.failuresPerMinute());
    }

    /** For the CDI proxy only. */
    protected Gatekeeper() {
    }

    public boolean on() {
        return auth.on();
    }

    /** Whether sockets from {@code address} are refused on sight: it failed too often in the last minute. */
    boolean barred(String address, long now) {
        if (!auth.on() || address == null || !failures.exhausted(address, now)) {
            return false;
        }
        logBarred(address, now);
        return true;
    }

    /** Logs a barred address's refusal once a minute at most: a flood of sockets from it must not flood the log too. */
    private void logBarred(String address, long now) {
        if (barredLogged.size() > FORGET_ABOVE) {
            barredLogged.values().removeIf(entry -> now - entry[0] >= LOG_EVERY);
        }
        var unlogged = new long[]{-1};
        barredLogged.compute(address, (key, entry) -> {
            if (entry == null || now - entry[0] >= LOG_EVERY) {
                unlogged[0] = entry == null ? 0 : entry[1];
                return new long[]{now, 0};
            }
            entry[1]++;
            return entry;
        });
        if (unlogged[0] >= 0) {
            LOG.log(Level.WARNING, () -> "Refusing sockets from " + address + ": it failed " + failures.perMinute()
                    + " hellos within a minute" + (unlogged[0] > 0 ? " (" + unlogged[0] + " more refused since the last"
                    + " such line)" : "") + "; logged once a minute while it lasts");
        }
    }

    /**
     * The grant of {@code token}, presented by {@code address} (null if the container did not say); null with access
     * control off.
     *
     * @throws TokenRefused when it grants nothing; the failure counts against the address
     */
    Grant admit(String token, String address, long now) throws TokenRefused {
        if (!auth.on()) {
            return null;
        }
        try {
            return auth.tokens().check(token);
        } catch (TokenRefused refused) {
            refuse(address, now, refused.getMessage());
            throw refused;
        }
    }

    /** Refuses a seed-mode {@code start} from {@code address}: it carries no token; the refusal counts like a failed hello. */
    void refuseStart(String address, long now) {
        refuse(address, now, "start (the seed protocol) carries no token");
    }

    private void refuse(String address, long now, String why) {
        if (address != null) {
            failures.fail(address, now);
        }
        LOG.log(Level.WARNING, () -> "Refused a hello from " + (address == null ? "an unknown address" : address) + ": " + why);
    }
}
