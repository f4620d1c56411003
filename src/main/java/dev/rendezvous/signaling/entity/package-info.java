/** Rooms and the peers in them: membership, capacity and who hears what, free of transport and container. */
package dev.rendezvous.signaling.entity;
