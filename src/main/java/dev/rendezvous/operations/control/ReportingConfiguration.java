package dev.rendezvous.operations.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.lang.System.Logger.Level;

/** Reads {@link Reporting} once from MicroProfile Config as the application starts: a bad value fails the deployment. */
@Dependent
public class ReportingConfiguration {

    private static final System.Logger LOG = System.getLogger(ReportingConfiguration.class.getName());

    @Produces
    @Singleton
    Reporting reporting(Config config) {
        try {
            return Reporting.read(name -> config.getOptionalValue(name, String.class));
        } catch (IllegalArgumentException invalid) {
            LOG.log(Level.ERROR, "Rendezvous cannot start: {0}", invalid.getMessage());
            throw invalid;
        }
    }

    void readAtStart(@Observes @Initialized(ApplicationScoped.class) Object started, Reporting reporting) {
        LOG.log(Level.INFO, "Rendezvous reporting: {0}", reporting.inForce());
    }
}
