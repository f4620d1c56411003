package dev.rendezvous.signaling.control;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.lang.System.Logger.Level;

/** Reads the {@link Settings} once from MicroProfile Config, which every supported server provides. */
@Dependent
public class Configuration {

    private static final System.Logger LOG = System.getLogger(Configuration.class.getName());

    @Produces
    @Singleton
    Settings settings(Config config) {
        var settings = Settings.read(name -> config.getOptionalValue(name, String.class));
        LOG.log(Level.INFO, "Rendezvous settings: {0}", settings);
        return settings;
    }
}
