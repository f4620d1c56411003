/** What operators do, however they ask: the actions on rooms and peers, logged once each. */
package dev.rendezvous.operations.control;
