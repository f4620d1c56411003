package dev.rendezvous.signaling.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.lang.System.Logger.Level;

/**
 * Reads the {@link Settings} once from MicroProfile Config, which every supported server provides, as the application
 * starts: a value out of range fails the deployment, with a message naming the property, before any socket is served.
 */
@Dependent
public class Configuration {

    private static final System.Logger LOG = System.getLogger(Configuration.class.getName());

    @Produces
    @Singleton
    Settings settings(Config config) {
        try {
            return Settings.read(name -> config.getOptionalValue(name, String.class));
        } catch (IllegalArgumentException invalid) {
            LOG.log(Level.ERROR, "Rendezvous cannot start: {0}", invalid.getMessage());
            throw invalid;
        }
    }

    /** Reads the settings at application start (the container fails the deployment if that throws), and logs them. */
    void readAtStart(@Observes @Initialized(ApplicationScoped.class) Object started, Settings settings) {
        LOG.log(Level.INFO, "Rendezvous settings: {0}", settings.inForce());
    }
}
