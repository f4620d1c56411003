/** Who may signal: the room grants an application signs into a JWT, checked at {@code hello}; no WebSocket, no CDI. */
package dev.rendezvous.access;
