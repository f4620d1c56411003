package dev.rendezvous.operations;

import dev.rendezvous.signaling.Server;

import java.net.URI;

/** The admin API of the deployment under test, and the operator every test server knows. */
final class Admin {

    static final String USER = "admin";

    private Admin() {
    }

    static URI uri(String path) {
        return Server.httpUri("/admin" + path);
    }

    /** The operator, with the password the build gave every test server. */
    static Http operator() {
        return Http.as(USER, System.getProperty("rendezvous.admin.password", "rendezvous-admin-test-only"));
    }
}
