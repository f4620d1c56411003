/** The WebSocket edge: the {@code /signal} endpoint, the handshake that makes it, its codecs, and ordered, non-blocking sends per session. */
package dev.rendezvous.signaling.boundary;
