/** What the server does with each message: per-connection dispatch, limits and timers, and the shared registry of peers and rooms. */
package dev.rendezvous.signaling.control;
