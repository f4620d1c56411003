/**
 * The Rendezvous wire protocol alone: the messages clients and server exchange, their validation, error and close
 * codes, and the one codec (JSON-P streaming, no reflection); it knows nothing of WebSocket sessions, CDI or rooms.
 */
package dev.rendezvous.protocol;
