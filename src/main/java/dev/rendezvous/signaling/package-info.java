/**
 * Signaling: the WebSocket endpoint (boundary), the dispatcher and shared registry (control), and rooms and peers
 * (entity).
 */
package dev.rendezvous.signaling;
