/** The Redis/Valkey link for running several nodes: rooms shared by every node, claimed atomically by scripts. */
package dev.rendezvous.cluster;
