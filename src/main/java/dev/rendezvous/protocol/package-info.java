/**
 * The Rendezvous wire protocol alone: the messages clients and server exchange, their validation, error and close
 * codes, and the one JSON-B codec; it knows nothing of WebSocket sessions, CDI or rooms.
 */
package dev.rendezvous.protocol;
