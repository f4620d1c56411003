/** The server under test as the operating system sees it: its process, CPU time, memory and open files. */
package dev.rendezvous.server;
