/** The operators' HTTP surface: health checks, metrics, the admin API and the ops page, all reading and acting on signaling. */
package dev.rendezvous.operations.boundary;
