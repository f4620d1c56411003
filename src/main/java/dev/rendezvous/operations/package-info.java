/** Operations: what an operator and a load balancer see of Rendezvous, and what they can do to it. */
package dev.rendezvous.operations;
