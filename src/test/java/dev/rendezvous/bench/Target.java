package dev.rendezvous.bench;

import dev.rendezvous.server.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;

/** The server under load: where its endpoint is, which process it is, and how the run is configured. */
record Target(HttpClient http, URI signal, ServerProcess server, Options options) {
}
