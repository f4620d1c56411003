/** The WebSocket edge: the {@code /signal} endpoint, its JSON-B codecs, and ordered, non-blocking sends per session. */
package dev.rendezvous.signaling.boundary;
