package dev.rendezvous.operations.boundary;

import dev.rendezvous.operations.control.Metrics;
import dev.rendezvous.operations.control.Operator;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.control.Rooms;
import dev.rendezvous.signaling.control.Sessions;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * Registers the {@link SignalingMXBean} with the platform MBean server as the application starts, and takes it away as
 * it stops, so a redeploy registers afresh. The deployment at the context root is {@code dev.rendezvous:type=Signaling};
 * another deployment of the WAR in the same server adds its context path ({@code ,context=/other}). JMX calls come on
 * the JMX connector's threads, which carry no application: each call runs with the application's class loader as the
 * thread's context class loader, which is how CDI (Weld, on Payara) finds the application's beans.
 */
@WebListener
public class Management implements ServletContextListener, SignalingMXBean {

    private static final System.Logger LOG = System.getLogger(Management.class.getName());
    /** Who the log names as asking: JMX says no more. */
    private static final String WHO = "An operator over JMX";

    private Rooms rooms;
    private Sessions sessions;
    private Operator operator;
    private Metrics metrics;
    private ObjectName name;
    private ClassLoader application;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        application = Thread.currentThread().getContextClassLoader();
        rooms = CDI.current().select(Rooms.class).get();
        sessions = CDI.current().select(Sessions.class).get();
        operator = CDI.current().select(Operator.class).get();
        metrics = CDI.current().select(Metrics.class).get();
        var context = event.getServletContext().getContextPath();
        try {
            name = new ObjectName(context.isEmpty() ? "dev.rendezvous:type=Signaling"
                    : "dev.rendezvous:type=Signaling,context=" + ObjectName.quote(context));
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, name);
            LOG.log(Level.INFO, "Rendezvous operations over JMX as {0}", name);
        } catch (JMException failed) {
            LOG.log(Level.ERROR, "Rendezvous could not register its MXBean " + name + "; JMX operations are unavailable", failed);
            name = null;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException failed) {
            LOG.log(Level.WARNING, "Rendezvous could not unregister its MXBean " + name, failed);
        }
    }

    @Override
    public int getSessions() {
        return inApplication(() -> sessions.sessionCount());
    }

    @Override
    public int getRooms() {
        return inApplication(() -> rooms.roomCount());
    }

    @Override
    public int getPeers() {
        return inApplication(() -> rooms.peerCount());
    }

    @Override
    public int getClusterNodes() {
        return inApplication(() -> rooms.nodeCount());
    }

    @Override
    public long getMessagesRelayed() {
        return inApplication(() -> metrics.relayedTotal());
    }

    @Override
    public boolean kick(String peerId, String reason) {
        return inApplication(() -> operator.kick(WHO, null, peerId(peerId), reason));
    }

    @Override
    public boolean lock(String room) {
        return inApplication(() -> operator.lock(WHO, roomName(room), true));
    }

    @Override
    public boolean unlock(String room) {
        return inApplication(() -> operator.lock(WHO, roomName(room), false));
    }

    @Override
    public boolean close(String room) {
        return inApplication(() -> operator.close(WHO, roomName(room)));
    }

    private <T> T inApplication(Supplier<T> call) {
        var thread = Thread.currentThread();
        var before = thread.getContextClassLoader();
        thread.setContextClassLoader(application);
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static PeerId peerId(String peerId) {
        try {
            return new PeerId(peerId);
        } catch (ProtocolException invalid) {
            throw new IllegalArgumentException(invalid.getMessage());
        }
    }

    private static RoomName roomName(String room) {
        try {
            return new RoomName(room);
        } catch (ProtocolException invalid) {
            throw new IllegalArgumentException(invalid.getMessage());
        }
    }
}
