package dev.rendezvous.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A WildFly node moves every port its configuration binds, so every one of them must be found to be checked free. */
class ClusterNodeTest {

    @Test
    void everySocketBindingsPortIsFoundWithOrWithoutAProperty() {
        var configuration = """
                <socket-binding-group name="standard-sockets" default-interface="public">
                    <socket-binding name="ajp" port="${jboss.ajp.port:8009}"/>
                    <socket-binding name="http" port="${jboss.http.port:8080}"/>
                    <socket-binding name="https" port="${jboss.https.port:8443}"/>
                    <socket-binding name="management-http" interface="management" port="${jboss.management.http.port:9990}"/>
                    <socket-binding name="txn-recovery-environment" port="4712"/>
                    <outbound-socket-binding name="mail-smtp">
                        <remote-destination host="${jboss.mail.server.host:localhost}" port="${jboss.mail.server.port:25}"/>
                    </outbound-socket-binding>
                </socket-binding-group>
                """;
        assertEquals(List.of(8009, 8080, 8443, 9990, 4712), ClusterNode.socketBindingPorts(configuration));
    }
}
