/** The load benchmark: a load generator for {@code /signal} that measures the server's CPU, latency and memory, and checks every message. */
package dev.rendezvous.bench;
